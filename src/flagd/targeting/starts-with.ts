import { isStringPair } from './string-pair.js';

export const STARTS_WITH_RULE = 'starts_with';

/** flagd's `starts_with`: `[subject, prefix]`, both strings; anything else gives null. */
export function startsWith(args: unknown): boolean | null {
  return isStringPair(args) ? args[0].startsWith(args[1]) : null;
}
