import type { EvaluationDetails, FlagValue, Hook, HookContext } from '@openfeature/server-sdk';

/** Labels of one evaluation: which flag, which variant it landed on (`''` when none), and why. */
export type EvaluationLabels = Readonly<Record<'flag' | 'variant' | 'reason', string>>;

/** Whatever counts evaluations; a prom-client `Counter` fits. */
export interface EvaluationCounter {
  inc(labels: EvaluationLabels): void;
}

/**
 * Counts every evaluation by flag, variant and reason. It runs in `finally`, which sees the details of
 * successful and failed evaluations alike (a failure has reason `ERROR`).
 */
export function createFlagMetricsHook(counter: EvaluationCounter): Hook {
  return {
    finally(hookContext: Readonly<HookContext<FlagValue>>, details: EvaluationDetails<FlagValue>): void {
      counter.inc({ flag: hookContext.flagKey, variant: details.variant ?? '', reason: details.reason ?? 'UNKNOWN' });
    },
  };
}
