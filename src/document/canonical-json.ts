/** Punctuation already serialised, told apart from values by identity. */
class Token {
  constructor(readonly text: string) {}
}
const COMMA = new Token(',');
const OPEN_ARRAY = new Token('[');
const CLOSE_ARRAY = new Token(']');
const OPEN_OBJECT = new Token('{');
const CLOSE_OBJECT = new Token('}');

/**
 * JSON with object keys sorted, otherwise as `JSON.stringify` writes it: the one serialisation behind
 * flag fingerprints, store change detection and plan hashes. Iterative rather than recursive, so a
 * flag definition nested deeper than the stack allows still gets a fingerprint (and then a PARSE_ERROR).
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item instanceof Token) parts.push(item.text);
    else if (Array.isArray(item)) pushArray(pending, item);
    else if (typeof item === 'object' && item !== null) pushObject(pending, item);
    else parts.push(typeof item === 'bigint' ? item.toString() : (JSON.stringify(item) ?? 'null'));
  }
  return parts.join('');
}

/** Pushes an array's tokens in reverse, so they pop in order. */
function pushArray(pending: unknown[], array: readonly unknown[]): void {
  pending.push(CLOSE_ARRAY);
  for (let i = array.length - 1; i >= 0; i--) {
    pending.push(array[i]);
    if (i > 0) pending.push(COMMA);
  }
  pending.push(OPEN_ARRAY);
}

/** Pushes an object's tokens, keys sorted, in reverse, so they pop in order. */
function pushObject(pending: unknown[], object: object): void {
  // As JSON.stringify: a property whose value is undefined is left out.
  const entries = Object.entries(object)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  pending.push(CLOSE_OBJECT);
  for (let i = entries.length - 1; i >= 0; i--) {
    const [key, item] = entries[i] as [string, unknown];
    pending.push(item, new Token(`${JSON.stringify(key)}:`));
    if (i > 0) pending.push(COMMA);
  }
  pending.push(OPEN_OBJECT);
}
