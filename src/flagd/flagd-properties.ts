import type { EvaluationContext, EvaluationEnv } from './model.js';
import type { TargetingData } from './targeting/targeting-data.js';

/**
 * The one place `$flagd` is injected: the context plus `$flagd.flagKey` and `$flagd.timestamp`
 * (integer Unix seconds from the injected clock), replacing any `$flagd` the caller sent. The
 * context is copied, never changed. Only rules that can read `$flagd` beyond the flag key get
 * this copy; the flag key alone is bound when the rule compiles (see `prepareTargeting`).
 */
export function withFlagdProperties(context: EvaluationContext, flagKey: string, env: EvaluationEnv): TargetingData {
  return { ...context, $flagd: { flagKey, timestamp: env.nowSeconds() } };
}
