import { MASK } from '../fixtures/contexts.js';

// One loop per implementation, each a plain counted loop over the rotating keys and contexts.
// Every loop returns the summed length of the results' reasons (or a count of the answers) so the
// evaluations cannot be optimised away; the summing costs the same on every side.

/** Our core: `FlagStore.evaluate`, synchronous, what the provider delegates to. */
export function loopFlagStore(store, keys, type, defaultValue, contexts, env, n) {
  let sum = 0;
  for (let i = 0; i < n; i++)
    sum += store.evaluate(keys[i & MASK], type, defaultValue, contexts[i & MASK], env).reason.length;
  return sum;
}

/** `@openfeature/flagd-core`: its typed `resolve*Evaluation`, synchronous. */
export function loopFlagdCore(core, keys, type, defaultValue, contexts, n) {
  let sum = 0;
  if (type === 'boolean') {
    for (let i = 0; i < n; i++)
      sum += core.resolveBooleanEvaluation(keys[i & MASK], defaultValue, contexts[i & MASK]).reason.length;
  } else {
    for (let i = 0; i < n; i++)
      sum += core.resolveStringEvaluation(keys[i & MASK], defaultValue, contexts[i & MASK]).reason.length;
  }
  return sum;
}

/**
 * Our provider's typed `resolve*Evaluation`, which wraps the store's answer in a resolved Promise
 * (the Provider interface asks for one); the Promises are not awaited, so this is the call's own cost.
 */
export function loopProvider(provider, keys, type, defaultValue, contexts, n) {
  let answered = 0;
  if (type === 'boolean') {
    for (let i = 0; i < n; i++)
      if (provider.resolveBooleanEvaluation(keys[i & MASK], defaultValue, contexts[i & MASK]) !== undefined) answered++;
  } else {
    for (let i = 0; i < n; i++)
      if (provider.resolveStringEvaluation(keys[i & MASK], defaultValue, contexts[i & MASK]) !== undefined) answered++;
  }
  return answered;
}

/** The application's view: `await client.getBooleanValue(...)` through the OpenFeature SDK. */
export async function loopClient(client, keys, defaultValue, contexts, n) {
  let enabled = 0;
  for (let i = 0; i < n; i++)
    if (await client.getBooleanValue(keys[i & MASK], defaultValue, contexts[i & MASK])) enabled++;
  return enabled;
}

/** A provider on its own, awaited as the SDK awaits it: what the provider adds to each SDK call. */
export async function loopAwaitedResolve(provider, keys, defaultValue, contexts, n) {
  let enabled = 0;
  for (let i = 0; i < n; i++)
    if ((await provider.resolveBooleanEvaluation(keys[i & MASK], defaultValue, contexts[i & MASK])).value) enabled++;
  return enabled;
}
