/**
 * Levels of arrays and objects serialised by recursion. Flags and plans nest a few levels; a value
 * nested deeper is serialised again by the iterative path, which no stack depth stops.
 */
const RECURSION_LIMIT = 500;

/**
 * JSON with object keys sorted, otherwise as `JSON.stringify` writes it: the one serialisation behind
 * flag fingerprints, store change detection and plan hashes. A flag definition nested deeper than the
 * stack allows still gets a serialisation (and then a PARSE_ERROR), from the iterative path; the
 * recursive one, which makes no token object per key, is the path every loaded flag takes.
 */
export function canonicalJson(value: unknown): string {
  return serializeShallow(value, 0) ?? serializeIteratively(value);
}

function scalarJson(value: unknown): string {
  return typeof value === 'bigint' ? value.toString() : (JSON.stringify(value) ?? 'null');
}

/** The serialisation, or undefined once `depth` passes the recursion limit. */
function serializeShallow(value: unknown, depth: number): string | undefined {
  if (typeof value !== 'object' || value === null) return scalarJson(value);
  if (depth >= RECURSION_LIMIT) return undefined;
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      const item = serializeShallow(value[i], depth + 1);
      if (item === undefined) return undefined;
      text += i === 0 ? item : `,${item}`;
    }
    return `${text}]`;
  }
  let text = '{';
  for (const key of Object.keys(value).sort()) {
    const member: unknown = (value as Record<string, unknown>)[key];
    // As JSON.stringify: a property whose value is undefined is left out.
    if (member === undefined) continue;
    const item = serializeShallow(member, depth + 1);
    if (item === undefined) return undefined;
    text += `${text.length === 1 ? '' : ','}${JSON.stringify(key)}:${item}`;
  }
  return `${text}}`;
}

/** Punctuation already serialised, told apart from values by identity. */
class Token {
  constructor(readonly text: string) {}
}
const COMMA = new Token(',');
const OPEN_ARRAY = new Token('[');
const CLOSE_ARRAY = new Token(']');
const OPEN_OBJECT = new Token('{');
const CLOSE_OBJECT = new Token('}');

function serializeIteratively(value: unknown): string {
  const parts: string[] = [];
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item instanceof Token) parts.push(item.text);
    else if (Array.isArray(item)) pushArray(pending, item);
    else if (typeof item === 'object' && item !== null) pushObject(pending, item);
    else parts.push(scalarJson(item));
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
