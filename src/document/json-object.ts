/** A JSON object as parsed: a plain object, not an array or null. */
export type JsonObjectLike = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObjectLike {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
