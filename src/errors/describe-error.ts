/**
 * A one-line description of anything thrown or rejected with, for a message that names what failed.
 * JSON Logic engines throw non-Errors too: NaN for arithmetic on non-numbers, or plain objects such
 * as `{ type: 'Invalid Arguments' }`.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'number' && Number.isNaN(error)) return 'not a number';
  if (typeof error !== 'object' || error === null) return String(error);
  const { type } = error as { type?: unknown };
  return typeof type === 'string' ? type : 'a non-Error object was thrown';
}
