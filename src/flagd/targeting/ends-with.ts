import { isStringPair } from './string-pair.js';

export const ENDS_WITH_RULE = 'ends_with';

/** flagd's `ends_with`: `[subject, suffix]`, both strings; anything else gives null. */
export function endsWith(args: unknown): boolean | null {
  return isStringPair(args) ? args[0].endsWith(args[1]) : null;
}
