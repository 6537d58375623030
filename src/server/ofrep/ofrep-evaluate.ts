import type { FlagStore } from '../../flagd/flag-store.js';
import type { EvaluationContext, EvaluationEnv } from '../../flagd/model.js';
import { toOfrepAnswerJson, type OfrepAnswerJson } from './ofrep-evaluation.js';

/** One flag, resolved as its own type (there is no default value in OFREP: the client keeps it). */
export function evaluateSingle(
  store: FlagStore,
  key: string,
  context: EvaluationContext,
  env: EvaluationEnv,
): OfrepAnswerJson {
  return toOfrepAnswerJson(key, store.evaluate(key, 'any', null, context, env));
}

/**
 * OFREP's `bulkEvaluationSuccess` as JSON text: every flag of the store in its order, failures included
 * as `evaluationFailure` items, as flagd answers, and the flag set's metadata. The text is what
 * `JSON.stringify({ flags, metadata })` gives, put together from each flag's answer text.
 */
export function evaluateBulk(store: FlagStore, context: EvaluationContext, env: EvaluationEnv): string {
  const flags = store.keys().map((key) => toOfrepAnswerJson(key, store.evaluate(key, 'any', null, context, env)).json);
  return `{"flags":[${flags.join(',')}],"metadata":${JSON.stringify(store.metadata)}}`;
}
