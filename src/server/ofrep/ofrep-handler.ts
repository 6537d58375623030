import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@openfeature/core';
import { parseSelector, SELECTOR_HEADER } from '../../flagd/sync/selector.js';
import { describeError } from '../../errors/describe-error.js';
import type { FlagStore } from '../../flagd/flag-store.js';
import type { EvaluationContext, EvaluationEnv } from '../../flagd/model.js';
import { applyCors } from '../evaluation/cors.js';
import { enrichContext, readNodeHeader, type ContextEnrichment } from '../evaluation/enrich-context.js';
import type { SelectionStores } from '../evaluation/selection-stores.js';
import { readRequestBody } from '../http/read-request-body.js';
import { bulkEtag, matchesIfNoneMatch } from './bulk-etag.js';
import { SelectionDigests, type SelectionDigest } from './selection-digests.js';
import { evaluateBulk, evaluateSingle } from './ofrep-evaluate.js';
import { bodyTooLarge, parseOfrepRequest, type OfrepRequestError } from './parse-ofrep-request.js';

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
export const OFREP_METHOD_PATHS = Object.freeze([FLAGS_PATH, `${FLAGS_PATH}/{key}`]);

/** The metrics path of an endpoint; `other` is none of the routes and counts as `unknown`. */
export function ofrepMethodPath(endpoint: OfrepEndpoint): string {
  if (endpoint === 'bulk') return FLAGS_PATH;
  return endpoint === 'single' ? `${FLAGS_PATH}/{key}` : 'other';
}
const JSON_CONTENT_TYPE = 'application/json';
/** The bulk answer's ETag must be readable by a page's script, or ofrep-web-provider cannot send it back. */
const EXPOSED_HEADERS = ['ETag'];

/**
 * OFREP 0.3 over HTTP: single-flag and bulk evaluation of the selected flags (the `Flagd-Selector`
 * header, as flagd), bulk answers with an ETag honoured by `If-None-Match`, CORS for browsers, the
 * bearer token when the server has one. Every failure is an OFREP error body with the status the
 * OpenAPI gives it; nothing a client sends can make the handler throw.
 */
export class OfrepHandler {
  readonly #options: OfrepHandlerOptions;
  readonly #digests: SelectionDigests;

  constructor(options: OfrepHandlerOptions) {
    this.#options = options;
    this.#digests = new SelectionDigests(options.stores);
  }

  /** Answers one request; never rejects (an unexpected failure is a 500 and a log line). */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const route = routeOf(request.url ?? '/');
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      // A known length spares chunked encoding: the answer leaves in one write instead of four.
      response.writeHead(
        status,
        text === undefined
          ? headers
          : { ...headers, 'content-type': JSON_CONTENT_TYPE, 'content-length': String(Buffer.byteLength(text)) },
      );
      response.end(text);
      this.#options.onAnswered?.(route.endpoint, status);
    };
    // A preflight is answered here, before authentication: browsers send no credentials with it.
    if (applyCors(request, response, this.#options.corsOrigins, EXPOSED_HEADERS)) {
      this.#options.onAnswered?.(route.endpoint, 204);
      return;
    }
    try {
      await this.#answer(request, route, reply);
    } catch (error) {
      this.#options.logger?.error(`OFREP ${request.method ?? ''} ${request.url ?? ''} failed: ${describeError(error)}`);
      if (!response.headersSent) reply(500, { errorDetails: 'Internal error while evaluating flags' });
    }
  }

  async #answer(request: IncomingMessage, route: Route, reply: Reply): Promise<void> {
    if (route.endpoint === 'other') {
      reply(404, { errorDetails: `No OFREP endpoint at ${route.path}; use POST ${FLAGS_PATH} or ${FLAGS_PATH}/{key}` });
      return;
    }
    if (request.method !== 'POST') {
      reply(
        405,
        { errorDetails: `Method ${request.method ?? ''} not allowed; OFREP evaluation is POST` },
        { allow: 'POST, OPTIONS' },
      );
      return;
    }
    if (route.key === '') {
      reply(400, {
        key: '',
        errorCode: 'GENERAL',
        errorDetails: 'The flag key in the path is empty or not valid percent-encoding',
      });
      return;
    }
    const authorization = request.headers.authorization;
    const refusal = this.#options.checkToken?.(authorization);
    if (refusal !== undefined) {
      // No credentials is 401 (authenticate, then retry); a bearer token that is not the one is 403.
      const presented = authorization !== undefined && /^Bearer\s+\S/i.test(authorization.trim());
      reply(presented ? 403 : 401, { errorDetails: refusal }, { 'www-authenticate': 'Bearer' });
      return;
    }
    const fail = (error: OfrepRequestError): void =>
      reply(error.status, {
        ...(route.key === undefined ? {} : { key: route.key }),
        errorCode: error.errorCode,
        errorDetails: error.errorDetails,
      });
    const selector = parseSelector(headerValue(request.headers, SELECTOR_HEADER) ?? '');
    if (!selector.ok) {
      fail({ status: 400, errorCode: 'GENERAL', errorDetails: `Invalid selector: ${selector.error}` });
      return;
    }
    const limit = this.#options.maxBodyBytes === 0 ? Number.POSITIVE_INFINITY : this.#options.maxBodyBytes;
    const body = await readRequestBody(request, limit);
    if (!body.ok) {
      if (body.error === 'too-large') fail(bodyTooLarge(this.#options.maxBodyBytes));
      return;
    }
    const parsed = parseOfrepRequest(request.headers['content-type'], body.value);
    if (!parsed.ok) {
      fail(parsed.error);
      return;
    }
    const store = this.#options.stores.store(selector.value);
    if (store === undefined) {
      reply(503, { errorDetails: 'Flags are not loaded yet' }, { 'retry-after': '1' });
      return;
    }
    const context = enrichContext(parsed.value, this.#options.enrichment, readNodeHeader(request.headers));
    if (route.key === undefined) this.#bulk(request, store, this.#digests.of(selector.value, store), context, reply);
    else this.#single(route.key, store, context, reply);
  }

  #single(key: string, store: FlagStore, context: EvaluationContext, reply: Reply): void {
    const answer = evaluateSingle(store, key, context, this.#options.env);
    reply(answer.status, answer.body);
  }

  #bulk(
    request: IncomingMessage,
    store: FlagStore,
    digest: SelectionDigest,
    context: EvaluationContext,
    reply: Reply,
  ): void {
    const etag = bulkEtag(digest, context, this.#options.env.nowSeconds());
    const headers = { etag, 'cache-control': 'no-cache' };
    if (matchesIfNoneMatch(headerValue(request.headers, 'if-none-match'), etag)) {
      reply(304, undefined, headers);
      return;
    }
    reply(200, evaluateBulk(store, context, this.#options.env), headers);
  }
}

type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

interface Route {
  readonly endpoint: OfrepEndpoint;
  readonly path: string;
  /** The decoded flag key of a single evaluation (empty when undecodable); undefined for bulk. */
  readonly key?: string;
}

function routeOf(url: string): Route {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  // flagd answers bulk evaluation with and without a trailing slash.
  if (path === FLAGS_PATH || path === `${FLAGS_PATH}/`) return { endpoint: 'bulk', path };
  if (!path.startsWith(`${FLAGS_PATH}/`)) return { endpoint: 'other', path };
  const encoded = path.slice(FLAGS_PATH.length + 1);
  if (encoded.includes('/')) return { endpoint: 'other', path };
  return { endpoint: 'single', path, key: decodeKey(encoded) };
}

function decodeKey(encoded: string): string {
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
