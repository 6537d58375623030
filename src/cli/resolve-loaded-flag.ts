import { FlagStore } from '../flagd/flag-store.js';
import type { FlagValue, Resolution } from '../flagd/model.js';
import { resolveInOwnType } from '../flagd/resolve-in-own-type.js';
import type { EvaluationInput } from './evaluation-input.js';
import type { LoadedFlags } from './load-flag-files.js';

/** A flag's answer as the provider gives it, asked for in the flag's own type (boolean when unknown). */
export function resolveLoadedFlag(loaded: LoadedFlags, flagKey: string, input: EvaluationInput): Resolution<FlagValue> {
  const store = new FlagStore();
  store.replace(loaded.set);
  return resolveInOwnType(store, loaded.set, flagKey, input.context, { nowSeconds: () => input.nowSeconds });
}
