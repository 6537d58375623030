import { ErrorCode, StandardResolutionReasons } from '@openfeature/core';
import { describeError } from '../errors/describe-error.js';
import { errorResolution, flagNotFound } from './error-resolution.js';
import { withFlagdProperties } from './flagd-properties.js';
import type {
  CompiledFlag,
  CompiledRule,
  EvaluationContext,
  EvaluationEnv,
  FlagValue,
  RequestedType,
  Resolution,
  VariantAnswer,
} from './model.js';

const NO_METADATA = Object.freeze({});

/**
 * Resolves one flag exactly as flagd 0.16 / flagd-core 4 do. Pure, synchronous and total: every
 * input gives a resolution with a reason and the flag's metadata, errors included.
 * - no flag: ERROR / FLAG_NOT_FOUND (with no metadata; `FlagStore.evaluate` adds the set's);
 * - DISABLED: the caller's default, no variant;
 * - a flag that failed to compile: ERROR / PARSE_ERROR;
 * - no targeting: the default variant, STATIC;
 * - targeting naming a variant: TARGETING_MATCH; a non-string name is stringified (true → "true");
 * - targeting giving null: the default variant, DEFAULT;
 * - no default variant where one is needed: the caller's default, DEFAULT, no variant;
 * - a name matching no variant, or a rule that throws: ERROR / GENERAL;
 * - a variant of another type than requested: ERROR / TYPE_MISMATCH (never for type `any`).
 * Successful answers are the frozen objects `compileFlag` built, so a static evaluation
 * allocates nothing.
 */
export function evaluateFlag<T extends FlagValue>(
  flag: CompiledFlag | undefined,
  flagKey: string,
  type: RequestedType,
  defaultValue: T,
  context: EvaluationContext,
  env: EvaluationEnv,
): Resolution<T> {
  if (flag === undefined) return flagNotFound(flagKey, defaultValue, NO_METADATA);
  if (flag.state === 'DISABLED')
    return { value: defaultValue, reason: StandardResolutionReasons.DISABLED, flagMetadata: flag.metadata };
  if (flag.parseError !== undefined)
    return errorResolution(defaultValue, ErrorCode.PARSE_ERROR, flag.parseError, flag.metadata);
  if (flag.rule === undefined) return answerWith(flag, flag.plan.byDefault, type, defaultValue);
  return evaluateTargeting(flag, flag.rule, type, defaultValue, context, env);
}

function evaluateTargeting<T extends FlagValue>(
  flag: CompiledFlag,
  rule: CompiledRule,
  type: RequestedType,
  defaultValue: T,
  context: EvaluationContext,
  env: EvaluationEnv,
): Resolution<T> {
  let result: unknown;
  try {
    result = rule(flag.plan.injectsFlagdProperties ? withFlagdProperties(context, flag.key, env) : context);
  } catch (error) {
    const message = `Targeting of flag '${flag.key}' failed: ${describeError(error)}`;
    return errorResolution(defaultValue, ErrorCode.GENERAL, message, flag.metadata);
  }
  if (result === null || result === undefined) return answerWith(flag, flag.plan.byDefault, type, defaultValue);
  const name = variantNameOf(result);
  const match = name === undefined ? undefined : flag.plan.byVariant.get(name);
  if (match !== undefined) return answerWith(flag, match, type, defaultValue);
  const what = name === undefined ? `a ${Array.isArray(result) ? 'list' : typeof result}` : `'${name}'`;
  return errorResolution(
    defaultValue,
    ErrorCode.GENERAL,
    `Targeting of flag '${flag.key}' gave ${what}, which names no variant`,
    flag.metadata,
  );
}

/** A scalar result names a variant by its string form; lists and objects name none. */
function variantNameOf(result: unknown): string | undefined {
  if (typeof result === 'string') return result;
  if (typeof result === 'number' || typeof result === 'boolean' || typeof result === 'bigint') return String(result);
  return undefined;
}

function answerWith<T extends FlagValue>(
  flag: CompiledFlag,
  answer: VariantAnswer | undefined,
  type: RequestedType,
  defaultValue: T,
): Resolution<T> {
  if (answer === undefined)
    return { value: defaultValue, reason: StandardResolutionReasons.DEFAULT, flagMetadata: flag.metadata };
  if (type !== 'any' && answer.type !== type) {
    const message = `Flag '${flag.key}' resolved to a ${answer.type} value, but a ${type} was requested`;
    return errorResolution(defaultValue, ErrorCode.TYPE_MISMATCH, message, flag.metadata);
  }
  // The answer holds a value of the requested type, which is what T stands for (any value for `any`).
  return answer.resolution as Resolution<T>;
}
