import type { EvaluationContext, EvaluationContextValue } from '@openfeature/core';
import { defineStep } from '../runner/step-registry.js';
import type { StepDefinition } from '../runner/step-registry.js';
import type { EvaluateFlag } from '../targets/evaluator-target.js';
import type { EvaluationOutcome, EvaluationWorld, FlagUnderTest } from './evaluation-world.js';

/** Scenario state for the evaluator suites: the evaluator is created by the "an evaluator" step. */
export class EvaluatorWorld implements EvaluationWorld {
  flag: FlagUnderTest | undefined = undefined;
  readonly context: Record<string, EvaluationContextValue> = {};
  outcome: EvaluationOutcome | undefined = undefined;
  evaluator: EvaluateFlag | undefined = undefined;

  constructor(readonly loadEvaluator: () => EvaluateFlag) {}

  async evaluate(flag: FlagUnderTest, context: EvaluationContext): Promise<EvaluationOutcome> {
    if (this.evaluator === undefined) throw new Error('No evaluator: the "an evaluator" step did not run');
    return this.evaluator(flag, context);
  }
}

export function evaluatorSteps(): StepDefinition<EvaluatorWorld>[] {
  return [
    defineStep<EvaluatorWorld>('an evaluator', (world) => {
      world.evaluator = world.loadEvaluator();
    }),
  ];
}
