import type { EvaluationContext, EvaluationContextValue, FlagMetadata, FlagValue } from '@openfeature/core';
import type { ValueType } from './typed-value.js';

/** The flag a scenario declared: its key, the type it is evaluated as and the caller's default. */
export interface FlagUnderTest {
  readonly key: string;
  readonly type: ValueType;
  readonly defaultValue: FlagValue;
}

/** What an evaluation gave, in the shape the assertion steps read, whatever the target. */
export interface EvaluationOutcome {
  readonly value: FlagValue;
  readonly reason: string | undefined;
  readonly variant: string | undefined;
  readonly errorCode: string | undefined;
  readonly flagMetadata: FlagMetadata;
}

/** The part of a scenario's state the flag, context and assertion steps share across suites. */
export interface EvaluationWorld {
  flag: FlagUnderTest | undefined;
  readonly context: Record<string, EvaluationContextValue>;
  outcome: EvaluationOutcome | undefined;
  evaluate(flag: FlagUnderTest, context: EvaluationContext): Promise<EvaluationOutcome>;
}
