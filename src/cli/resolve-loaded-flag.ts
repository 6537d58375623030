import { FlagStore } from '../flagd/flag-store.js';
import type {
  EvaluationContext,
  EvaluationEnv,
  FlagType,
  FlagValue,
  NormalizedFlagSet,
  Resolution,
} from '../flagd/model.js';
import { flagTypeOfVariants } from '../loading/env-value.js';
import type { EvaluationInput } from './evaluation-input.js';
import type { LoadedFlags } from './load-flag-files.js';

/** What a caller gets when it passes no default of its own: the zero value of the flag's type. */
const ZERO_VALUES: Readonly<Record<FlagType, FlagValue>> = { boolean: false, string: '', number: 0, object: {} };

/** A flag's answer as the provider gives it, asked for in the flag's own type (boolean when unknown). */
export function resolveLoadedFlag(loaded: LoadedFlags, flagKey: string, input: EvaluationInput): Resolution<FlagValue> {
  const store = new FlagStore();
  store.replace(loaded.set);
  return resolveInOwnType(store, loaded.set, flagKey, input.context, { nowSeconds: () => input.nowSeconds });
}

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
