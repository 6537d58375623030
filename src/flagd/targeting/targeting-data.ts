/** What a rule evaluates against: the evaluation context, plus `$flagd` when the rule reads it. */
export type TargetingData = Readonly<Record<string, unknown>>;

/** The targeting key of a data value, which inside iterators may be any JSON value. */
export function targetingKeyOf(data: unknown): unknown {
  return typeof data === 'object' && data !== null ? (data as TargetingData)['targetingKey'] : undefined;
}
