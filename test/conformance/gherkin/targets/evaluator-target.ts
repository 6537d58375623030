import type { EvaluationContext, ResolutionDetails, FlagValue } from '@openfeature/core';
import type { EvaluationOutcome, FlagUnderTest } from '../steps/evaluation-world.js';

/** Evaluates one declared flag against a context, synchronously, as an evaluator core does. */
export type EvaluateFlag = (flag: FlagUnderTest, context: EvaluationContext) => EvaluationOutcome;

/** An evaluator implementation the evaluator suites can run against. */
export interface EvaluatorTarget {
  readonly name: string;
  /** Loads a flagd flag-set document (JSON text) and returns its evaluate function. */
  readonly load: (documentText: string) => EvaluateFlag;
}

/** The OpenFeature resolution type a testbed value type is evaluated as. */
export type ResolutionType = 'boolean' | 'string' | 'number' | 'object';

export function resolutionTypeOf(flag: FlagUnderTest): ResolutionType {
  switch (flag.type) {
    case 'Boolean':
      return 'boolean';
    case 'String':
      return 'string';
    case 'Integer':
    case 'Float':
      return 'number';
    case 'Object':
      return 'object';
  }
}

export function toOutcome(details: ResolutionDetails<FlagValue>): EvaluationOutcome {
  return {
    value: details.value,
    reason: details.reason,
    variant: details.variant,
    errorCode: details.errorCode,
    flagMetadata: details.flagMetadata ?? {},
  };
}
