/**
 * Whether a flag's targeting is a rule, as flagd-core decides: absent, null, `{}`, `[]`, "" and
 * other values without keys mean no targeting (the flag is static).
 */
export function hasTargeting(targeting: unknown): boolean {
  if (typeof targeting === 'string') return targeting.length > 0;
  return typeof targeting === 'object' && targeting !== null && Object.keys(targeting).length > 0;
}
