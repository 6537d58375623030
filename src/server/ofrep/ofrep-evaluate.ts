import type { FlagStore } from '../../flagd/flag-store.js';
import type { EvaluationContext, EvaluationEnv } from '../../flagd/model.js';
import { toOfrepAnswer, type OfrepAnswer, type OfrepEvaluation } from './ofrep-evaluation.js';

/** OFREP's `bulkEvaluationSuccess`: every selected flag's answer, and the flag set's metadata. */
export interface OfrepBulkAnswer {
  readonly flags: readonly OfrepEvaluation[];
  readonly metadata: Readonly<Record<string, boolean | string | number>>;
}

/** One flag, resolved as its own type (there is no default value in OFREP: the client keeps it). */
export function evaluateSingle(
  store: FlagStore,
  key: string,
  context: EvaluationContext,
  env: EvaluationEnv,
): OfrepAnswer {
  return toOfrepAnswer(key, store.evaluate(key, 'any', null, context, env));
}

/** Every flag of the store in its order, failures included as `evaluationFailure` items, as flagd answers. */
export function evaluateBulk(store: FlagStore, context: EvaluationContext, env: EvaluationEnv): OfrepBulkAnswer {
  const flags = store.keys().map((key) => toOfrepAnswer(key, store.evaluate(key, 'any', null, context, env)).body);
  return { flags, metadata: store.metadata };
}
