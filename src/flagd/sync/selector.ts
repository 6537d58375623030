import type { Result } from '../../errors/result.js';

/**
 * Which flags a sync subscriber receives, as flagd (Go) defines selectors: one `key=value` pair split at
 * the first `=`, where the key is `source` or `flagSetId`; a value with no `=` names a source (flagd's
 * backwards-compatible form); `flagSetId=` with an empty value selects the flags that have no set id.
 */
export type FlagSelector =
  | { readonly kind: 'all' }
  | { readonly kind: 'source'; readonly source: string }
  | { readonly kind: 'flagSetId'; readonly flagSetId: string | undefined };

/** The request header that carries the selector; it wins over the deprecated request field. */
export const SELECTOR_HEADER = 'flagd-selector';

const SELECTOR_KEYS = ['flagSetId', 'source'] as const;

/**
 * The longest selector accepted, in characters: room for a file named by a path as long as Linux
 * allows (PATH_MAX), far more than any flag set id needs. Anyone may send a selector, and each one
 * costs memory while it is served.
 */
export const MAX_SELECTOR_LENGTH = 4096;

/** The selection of a call without a selector, the most common case: one shared answer, made once. */
const SELECT_ALL: Result<FlagSelector> = Object.freeze({ ok: true, value: Object.freeze({ kind: 'all' }) });

/** Parses a selector expression; an unknown key or an over-long selector is an error saying why. */
export function parseSelector(expression: string): Result<FlagSelector> {
  if (expression.length > MAX_SELECTOR_LENGTH)
    return {
      ok: false,
      error: `Selector is ${expression.length} characters long; the limit is ${MAX_SELECTOR_LENGTH} characters`,
    };
  if (expression === '') return SELECT_ALL;
  const delimiter = expression.indexOf('=');
  if (delimiter === -1) return { ok: true, value: { kind: 'source', source: expression } };
  const key = expression.slice(0, delimiter);
  const value = expression.slice(delimiter + 1);
  if (key === 'source') return { ok: true, value: { kind: 'source', source: value } };
  if (key === 'flagSetId')
    return { ok: true, value: { kind: 'flagSetId', flagSetId: value === '' ? undefined : value } };
  const valid = SELECTOR_KEYS.map((name) => `"${name}"`).join(', ');
  return { ok: false, error: `Invalid selector key "${key}" in "${expression}"; valid keys: ${valid}` };
}

/** The selector expression of a call: the first `flagd-selector` header value, else the request field. */
export function selectorExpression(headerValues: readonly (string | Buffer)[], requestSelector: string): string {
  const header = headerValues[0];
  if (header !== undefined) return typeof header === 'string' ? header : header.toString('utf8');
  return requestSelector;
}

/** A stable string naming the selection, used to share one computed payload among subscribers. */
export function selectorKey(selector: FlagSelector): string {
  switch (selector.kind) {
    case 'all':
      return '*';
    case 'source':
      return `source=${selector.source}`;
    case 'flagSetId':
      return selector.flagSetId === undefined ? 'flagSetId:none' : `flagSetId=${selector.flagSetId}`;
  }
}
