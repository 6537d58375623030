import type { EvaluationContext, JsonValue } from '../../flagd/model.js';

/** What the server adds to every evaluation's context (flagd's `--context-value` and `--context-from-header`). */
export interface ContextEnrichment {
  /** Static values, which override the caller's. */
  readonly staticValues: Readonly<Record<string, JsonValue>>;
  /** Lower-case request header name → context key; a header's value overrides both the caller and the static values. */
  readonly fromHeaders: Readonly<Record<string, string>>;
}

/** Reads one request header by lower-case name; the first value when it was sent more than once. */
export type HeaderReader = (lowerCaseName: string) => string | undefined;

/**
 * The context an evaluation runs with, merged as flagd merges it: the request's context, then the static
 * values over it, then each mapped header that was sent with a non-empty value over both. Pure: the inputs
 * are not changed, and the request context is returned as it is when there is nothing to add.
 */
export function enrichContext(
  requestContext: EvaluationContext,
  enrichment: ContextEnrichment,
  readHeader: HeaderReader,
): EvaluationContext {
  const headerEntries = Object.entries(enrichment.fromHeaders);
  if (headerEntries.length === 0 && Object.keys(enrichment.staticValues).length === 0) return requestContext;
  // A null prototype keeps a context key named `__proto__` an ordinary key, as it is in the JSON it came from.
  const merged = Object.assign(Object.create(null) as EvaluationContext, requestContext, enrichment.staticValues);
  for (const [header, contextKey] of headerEntries) {
    const value = readHeader(header);
    if (value !== undefined && value !== '') merged[contextKey] = value;
  }
  return merged;
}

/** A HeaderReader over node's incoming headers (keys already lower case; repeated headers as arrays). */
export function readNodeHeader(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): HeaderReader {
  return (name) => {
    const value = headers[name];
    return typeof value === 'string' ? value : value?.[0];
  };
}
