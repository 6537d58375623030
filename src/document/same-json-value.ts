/** Nesting beyond this is never called the same, so the recursion is bounded; the caller then just redoes its work. */
const MAX_COMPARED_DEPTH = 512;

/**
 * Whether two parsed JSON values are the same as written, whitespace aside: equal primitives
 * (`Object.is`, so `0` and `-0` differ), arrays of the same values, and plain objects with the same
 * keys in the same order. Key order counts, so that a value called the same can stand in for the other
 * anywhere, even where order shows (error messages, a served document). Anything that is not plain
 * JSON data (a `Date`, a `Map`, a class instance) is only the same as itself.
 */
export function isSameJsonValue(a: unknown, b: unknown): boolean {
  return same(a, b, MAX_COMPARED_DEPTH);
}

function same(a: unknown, b: unknown, depthLeft: number): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depthLeft === 0) return false;
  if (Array.isArray(a)) return Array.isArray(b) && sameItems(a, b, depthLeft - 1);
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  return sameEntries(a, b, depthLeft - 1);
}

function sameItems(a: readonly unknown[], b: readonly unknown[], depthLeft: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (!same(a[i], b[i], depthLeft)) return false;
  }
  return true;
}

function sameEntries(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
  depthLeft: number,
): boolean {
  const keys = Object.keys(a);
  const otherKeys = Object.keys(b);
  if (keys.length !== otherKeys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== otherKeys[i] || !same(a[key], b[key], depthLeft)) return false;
  }
  return true;
}

function isPlainObject(value: object): value is Readonly<Record<string, unknown>> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
