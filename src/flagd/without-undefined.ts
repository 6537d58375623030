/**
 * The object without its undefined properties, so spreading it over defaults never replaces a
 * default with undefined (which `exactOptionalPropertyTypes` would otherwise let through untyped).
 */
export function withoutUndefined<T extends object>(options: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
