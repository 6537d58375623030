import type { EvaluationContext, EvaluationEnv } from './model.js';
import type { TargetingData } from './targeting/targeting-data.js';

/**
 * The one place `$flagd` is injected: the context plus `$flagd.flagKey` and `$flagd.timestamp`
 * (integer Unix seconds from the injected clock), replacing any `$flagd` the caller sent. The
 * context is copied, never changed. Only rules that can read `$flagd` beyond the flag key get
 * this copy; the flag key alone is bound when the rule compiles (see `prepareTargeting`).
 */
export function withFlagdProperties(context: EvaluationContext, flagKey: string, env: EvaluationEnv): TargetingData {
  // Node 20's V8 takes microseconds to add a key to a spread copy, and a tenth of that for
  // Object.assign; but assigning an own "__proto__" key would set the copy's prototype, so
  // such a context is spread instead. Either way the copy holds the context's own keys as data.
  const data: Record<string, unknown> = Object.hasOwn(context, '__proto__')
    ? { ...context }
    : Object.assign({}, context);
  data['$flagd'] = { flagKey, timestamp: env.nowSeconds() };
  return data;
}
