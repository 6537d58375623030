import type { JsonValue } from './model.js';

/**
 * A deeply frozen copy of a JSON value, so resolutions can share it with every caller without
 * one caller's change reaching the next. Callers check the depth first (see `exceedsDepth`).
 */
export function frozenCopy(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null) return value;
  // fromEntries defines every key as data, "__proto__" included.
  const copy: JsonValue = Array.isArray(value)
    ? value.map(frozenCopy)
    : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, frozenCopy(item)]));
  Object.freeze(copy);
  return copy;
}
