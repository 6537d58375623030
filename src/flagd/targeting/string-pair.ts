/** Whether `args` is exactly two strings, the only input `starts_with` and `ends_with` accept. */
export function isStringPair(args: unknown): args is readonly [string, string] {
  return Array.isArray(args) && args.length === 2 && typeof args[0] === 'string' && typeof args[1] === 'string';
}
