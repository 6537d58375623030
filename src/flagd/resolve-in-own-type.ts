import type { FlagStore } from './flag-store.js';
import { flagTypeOfVariants } from './flag-type-of.js';
import type { EvaluationContext, EvaluationEnv, FlagType, FlagValue, NormalizedFlagSet, Resolution } from './model.js';

/** What a caller gets when it passes no default of its own: the zero value of the flag's type. */
const ZERO_VALUES: Readonly<Record<FlagType, FlagValue>> = { boolean: false, string: '', number: 0, object: {} };

/** Asks `store`, which serves `set`, for a flag in the flag's own type, with that type's zero value as the default. */
export function resolveInOwnType(
  store: FlagStore,
  set: NormalizedFlagSet,
  flagKey: string,
  context: EvaluationContext,
  env: EvaluationEnv,
): Resolution<FlagValue> {
  const definition = set.flags.get(flagKey)?.definition;
  const type =
    definition === undefined
      ? 'boolean'
      : (flagTypeOfVariants(definition.variants, definition.defaultVariant) ?? 'boolean');
  return store.evaluate(flagKey, type, ZERO_VALUES[type], context, env);
}
