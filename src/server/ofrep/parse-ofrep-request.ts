import type { EvaluationContext } from '../../flagd/model.js';
import type { Result } from '../../errors/result.js';

/** Why a request could not be evaluated, with the HTTP status OFREP (or HTTP, where OFREP says nothing) gives it. */
export interface OfrepRequestError {
  readonly status: 400 | 413 | 415;
  readonly errorCode: 'INVALID_CONTEXT' | 'GENERAL';
  readonly errorDetails: string;
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * The evaluation context of an OFREP request body (`{"context": {...}}`). An empty body is an empty
 * context, as flagd answers `curl -X POST` without one; anything else must be JSON sent as JSON whose
 * `context`, when present, is an object with a string `targetingKey` if it has one.
 */
export function parseOfrepRequest(
  contentType: string | undefined,
  body: string,
): Result<EvaluationContext, OfrepRequestError> {
  if (body.trim() === '') return { ok: true, value: {} };
  if (!isJsonContentType(contentType)) {
    return refuse(415, 'GENERAL', `Content-Type must be application/json, got ${mediaTypeOf(contentType ?? '')}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return refuse(400, 'INVALID_CONTEXT', `Request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) {
    return refuse(
      400,
      'INVALID_CONTEXT',
      `Request body must be a JSON object like {"context": {...}}, got ${kindOf(parsed)}`,
    );
  }
  const context = parsed['context'];
  if (context === undefined) return { ok: true, value: {} };
  if (!isObject(context))
    return refuse(400, 'INVALID_CONTEXT', `"context" must be a JSON object, got ${kindOf(context)}`);
  const targetingKey = context['targetingKey'];
  if (targetingKey !== undefined && typeof targetingKey !== 'string') {
    return refuse(400, 'INVALID_CONTEXT', `"context.targetingKey" must be a string, got ${kindOf(targetingKey)}`);
  }
  return { ok: true, value: context as EvaluationContext };
}

/** Whether a body sent with this `Content-Type` is read as JSON: one that has none, or a JSON media type. */
export function isJsonContentType(contentType: string | undefined): boolean {
  // Nearly every client sends exactly `application/json`: that needs no splitting.
  if (contentType === undefined || contentType === 'application/json') return true;
  const mediaType = mediaTypeOf(contentType);
  return mediaType === '' || JSON_MEDIA_TYPE.test(mediaType);
}

function mediaTypeOf(contentType: string): string {
  return contentType.split(';')[0]?.trim() ?? '';
}

/** The answer to a body over the size limit. */
export function bodyTooLarge(limitBytes: number): OfrepRequestError {
  return {
    status: 413,
    errorCode: 'GENERAL',
    errorDetails: `Request body is larger than the limit of ${limitBytes} bytes`,
  };
}

function refuse(
  status: OfrepRequestError['status'],
  errorCode: OfrepRequestError['errorCode'],
  errorDetails: string,
): { readonly ok: false; readonly error: OfrepRequestError } {
  return { ok: false, error: { status, errorCode, errorDetails } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
