import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@openfeature/core';
import { parseSelector, SELECTOR_HEADER, type FlagSelector } from '../../flagd/sync/selector.js';
import { describeError } from '../../errors/describe-error.js';
import type { FlagStore } from '../../flagd/flag-store.js';
import type { EvaluationContext, EvaluationEnv } from '../../flagd/model.js';
import { applyCors } from '../evaluation/cors.js';
import { enrichContext, readNodeHeader, type ContextEnrichment } from '../evaluation/enrich-context.js';
import type { SelectionStores } from '../evaluation/selection-stores.js';
import { readRequestBody, type BodyReading } from '../http/read-request-body.js';
import { bulkEtag, knownBulkEtag, matchesIfNoneMatch } from './bulk-etag.js';
import { SelectionDigests } from './selection-digests.js';
import { evaluateBulk, evaluateSingle } from './ofrep-evaluate.js';
import { bodyTooLarge, isJsonContentType, parseOfrepRequest, type OfrepRequestError } from './parse-ofrep-request.js';

/** The OFREP endpoints, as metrics label them; `other` is any path that is neither. */
export type OfrepEndpoint = 'single' | 'bulk' | 'other';

export interface OfrepHandlerOptions {
  readonly stores: SelectionStores;
  readonly env: EvaluationEnv;
  /** What the server merges into every request's context (static values, mapped headers), as flagd does. */
  readonly enrichment: ContextEnrichment;
  /** Checks `authorization`, giving why it fails (`createAuthorizationCheck`); absent when the server has no token. */
  readonly checkToken?: (authorization: string | undefined) => string | undefined;
  /** Browser origins allowed (`*` for any). */
  readonly corsOrigins: readonly string[];
  /** Bodies larger than this are answered 413; 0 for no limit. */
  readonly maxBodyBytes: number;
  /** Told the endpoint and HTTP status of every answered request. */
  readonly onAnswered?: (endpoint: OfrepEndpoint, status: number) => void;
  readonly logger?: Logger;
}

const FLAGS_PATH = '/ofrep/v1/evaluate/flags';

/** The routes, as the evaluation metrics name them (`{key}` standing for any flag key). */
const SINGLE_METHOD_PATH = `${FLAGS_PATH}/{key}`;
export const OFREP_METHOD_PATHS = Object.freeze([FLAGS_PATH, SINGLE_METHOD_PATH]);

/** The metrics path of an endpoint; `other` is none of the routes and counts as `unknown`. */
export function ofrepMethodPath(endpoint: OfrepEndpoint): string {
  if (endpoint === 'bulk') return FLAGS_PATH;
  return endpoint === 'single' ? SINGLE_METHOD_PATH : 'other';
}
const JSON_CONTENT_TYPE = 'application/json';
/** The bulk answer's ETag must be readable by a page's script, or ofrep-web-provider cannot send it back. */
const EXPOSED_HEADERS = ['ETag'];

/**
 * OFREP 0.3 over HTTP: single-flag and bulk evaluation of the selected flags (the `Flagd-Selector`
 * header, as flagd), bulk answers with an ETag honoured by `If-None-Match`, CORS for browsers, the
 * bearer token when the server has one. Every failure is an OFREP error body with the status the
 * OpenAPI gives it; nothing a client sends can make the handler throw.
 *
 * Every request passes through here, so the path allocates little and never waits on a Promise: the
 * answer leaves from the request body's `end` event (see docs/BENCHMARKS.md, "OFREP").
 */
export class OfrepHandler {
  readonly #options: OfrepHandlerOptions;
  readonly #digests: SelectionDigests;
  readonly #limitBytes: number;
  /** Whether the server adds anything to a request's context; when not, the context is used as it came. */
  readonly #enriches: boolean;
  /** The request headers the server maps into contexts. */
  readonly #mappedHeaders: readonly string[];

  constructor(options: OfrepHandlerOptions) {
    this.#options = options;
    this.#digests = new SelectionDigests(options.stores);
    this.#limitBytes = options.maxBodyBytes === 0 ? Number.POSITIVE_INFINITY : options.maxBodyBytes;
    const { staticValues, fromHeaders } = options.enrichment;
    this.#mappedHeaders = Object.keys(fromHeaders);
    this.#enriches = Object.keys(staticValues).length > 0 || this.#mappedHeaders.length > 0;
  }

  /** Answers one request; never throws (an unexpected failure is a 500 and a log line). */
  handle(request: IncomingMessage, response: ServerResponse): void {
    const route = routeOf(request.url ?? '/');
    // A preflight is answered here, before authentication: browsers send no credentials with it.
    if (applyCors(request, response, this.#options.corsOrigins, EXPOSED_HEADERS)) {
      this.#options.onAnswered?.(route.endpoint, 204);
      return;
    }
    try {
      this.#answer(request, response, route);
    } catch (error) {
      this.#internalError(request, response, route, error);
    }
  }

  #answer(request: IncomingMessage, response: ServerResponse, route: Route): void {
    if (route.endpoint === 'other') {
      this.#reply(response, route, 404, {
        errorDetails: `No OFREP endpoint at ${route.path}; use POST ${FLAGS_PATH} or ${FLAGS_PATH}/{key}`,
      });
      return;
    }
    if (request.method !== 'POST') {
      const errorDetails = `Method ${request.method ?? ''} not allowed; OFREP evaluation is POST`;
      this.#reply(response, route, 405, { errorDetails }, ['allow', 'POST, OPTIONS']);
      return;
    }
    if (route.key === '') {
      const errorDetails = 'The flag key in the path is empty or not valid percent-encoding';
      this.#reply(response, route, 400, { key: '', errorCode: 'GENERAL', errorDetails });
      return;
    }
    const authorization = request.headers.authorization;
    const refusal = this.#options.checkToken?.(authorization);
    if (refusal !== undefined) {
      // No credentials is 401 (authenticate, then retry); a bearer token that is not the one is 403.
      const presented = authorization !== undefined && /^Bearer\s+\S/i.test(authorization.trim());
      this.#reply(response, route, presented ? 403 : 401, { errorDetails: refusal }, ['www-authenticate', 'Bearer']);
      return;
    }
    const selector = parseSelector(headerValue(request.headers, SELECTOR_HEADER) ?? '');
    if (!selector.ok) {
      this.#fail(response, route, {
        status: 400,
        errorCode: 'GENERAL',
        errorDetails: `Invalid selector: ${selector.error}`,
      });
      return;
    }
    readRequestBody(request, this.#limitBytes, (body) => {
      try {
        this.#evaluate(request, response, route, selector.value, body);
      } catch (error) {
        this.#internalError(request, response, route, error);
      }
    });
  }

  #evaluate(
    request: IncomingMessage,
    response: ServerResponse,
    route: Route,
    selector: FlagSelector,
    body: BodyReading,
  ): void {
    if (!body.ok) {
      this.#fail(response, route, bodyTooLarge(this.#options.maxBodyBytes));
      return;
    }
    const store = this.#options.stores.store(selector);
    const bulk = route.key === undefined;
    if (bulk && store !== undefined && this.#notModified(request, response, route, selector, store, body.value)) return;
    const parsed = parseOfrepRequest(request.headers['content-type'], body.value);
    if (!parsed.ok) {
      this.#fail(response, route, parsed.error);
      return;
    }
    if (store === undefined) {
      this.#reply(response, route, 503, { errorDetails: 'Flags are not loaded yet' }, ['retry-after', '1']);
      return;
    }
    const context = this.#enriches
      ? enrichContext(parsed.value, this.#options.enrichment, readNodeHeader(request.headers))
      : parsed.value;
    if (route.key === undefined) {
      const digest = this.#digests.of(selector, store);
      const etag = bulkEtag(digest, context, this.#options.env.nowSeconds(), this.#requestKey(request, body.value));
      this.#bulk(request, response, route, etag, store, context);
      return;
    }
    const answer = evaluateSingle(store, route.key, context, this.#options.env);
    this.#replyJson(response, route, answer.status, answer.json, answer.bytes);
  }

  /**
   * Answers 304, without parsing the body, a bulk request made before with the same flags: its ETag is
   * remembered under its key, for as long as the ETag does not depend on the time. Anything else
   * (a content type that is not JSON included) takes the full path, which gives the same answer.
   */
  #notModified(
    request: IncomingMessage,
    response: ServerResponse,
    route: Route,
    selector: FlagSelector,
    store: FlagStore,
    body: string,
  ): boolean {
    if (!isJsonContentType(request.headers['content-type'])) return false;
    const etag = knownBulkEtag(this.#digests.of(selector, store), this.#requestKey(request, body));
    if (etag === undefined || !matchesIfNoneMatch(headerValue(request.headers, 'if-none-match'), etag)) return false;
    this.#reply(response, route, 304, undefined, ['etag', etag, 'cache-control', 'no-cache']);
    return true;
  }

  #bulk(
    request: IncomingMessage,
    response: ServerResponse,
    route: Route,
    etag: string,
    store: FlagStore,
    context: EvaluationContext,
  ): void {
    const headers = ['etag', etag, 'cache-control', 'no-cache'];
    if (matchesIfNoneMatch(headerValue(request.headers, 'if-none-match'), etag)) {
      this.#reply(response, route, 304, undefined, headers);
      return;
    }
    const json = evaluateBulk(store, context, this.#options.env);
    this.#replyJson(response, route, 200, json, Buffer.byteLength(json), headers);
  }

  /**
   * What a bulk request's context is made from, as one string: its body, and the values of the headers
   * the server maps into contexts, when it maps any (each value prefixed by its length, so that no two
   * different requests share a key). Equal keys give equal contexts.
   */
  #requestKey(request: IncomingMessage, body: string): string {
    if (this.#mappedHeaders.length === 0) return body;
    let key = '';
    for (const name of this.#mappedHeaders) {
      const value = headerValue(request.headers, name) ?? '';
      key += `${value.length}:${value}`;
    }
    return `${key}${body}`;
  }

  /** An OFREP error body; a single-flag request's names the flag. */
  #fail(response: ServerResponse, route: Route, error: OfrepRequestError): void {
    const { status, errorCode, errorDetails } = error;
    const body = route.key === undefined ? { errorCode, errorDetails } : { key: route.key, errorCode, errorDetails };
    this.#reply(response, route, status, body);
  }

  #internalError(request: IncomingMessage, response: ServerResponse, route: Route, error: unknown): void {
    this.#options.logger?.error(`OFREP ${request.method ?? ''} ${request.url ?? ''} failed: ${describeError(error)}`);
    if (!response.headersSent)
      this.#reply(response, route, 500, { errorDetails: 'Internal error while evaluating flags' });
  }

  /** Sends the answer (`headers` as name, value, name, value…) and counts it. */
  #reply(response: ServerResponse, route: Route, status: number, body: unknown, headers: string[] = []): void {
    if (body === undefined) {
      response.writeHead(status, headers);
      response.end();
      this.#options.onAnswered?.(route.endpoint, status);
    } else {
      const json = JSON.stringify(body);
      this.#replyJson(response, route, status, json, Buffer.byteLength(json), headers);
    }
  }

  /** Sends a JSON answer of `bytes` UTF-8 bytes and counts it. */
  #replyJson(
    response: ServerResponse,
    route: Route,
    status: number,
    json: string,
    bytes: number,
    headers: string[] = [],
  ): void {
    // A known length spares chunked encoding: the answer leaves in one write instead of four.
    headers.push('content-type', JSON_CONTENT_TYPE, 'content-length', String(bytes));
    response.writeHead(status, headers);
    response.end(json);
    this.#options.onAnswered?.(route.endpoint, status);
  }
}

interface Route {
  readonly endpoint: OfrepEndpoint;
  readonly path: string;
  /** The decoded flag key of a single evaluation (empty when undecodable); undefined for bulk. */
  readonly key?: string;
}

const FLAGS_PREFIX = `${FLAGS_PATH}/`;

function routeOf(url: string): Route {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  // flagd answers bulk evaluation with and without a trailing slash.
  if (path === FLAGS_PATH || path === FLAGS_PREFIX) return { endpoint: 'bulk', path };
  if (!path.startsWith(FLAGS_PREFIX)) return { endpoint: 'other', path };
  const encoded = path.slice(FLAGS_PREFIX.length);
  if (encoded.includes('/')) return { endpoint: 'other', path };
  return { endpoint: 'single', path, key: decodeKey(encoded) };
}

function decodeKey(encoded: string): string {
  // Without a `%` there is nothing to decode (and nothing that can fail to decode).
  if (!encoded.includes('%')) return encoded;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return '';
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
