/**
 * Whether a JSON value nests arrays and objects more than `limit` levels deep. The recursion
 * stops at the limit, so it is safe on input of any depth.
 */
export function exceedsDepth(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit <= 0) return true;
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => exceedsDepth(child, limit - 1));
}
