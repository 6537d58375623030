import { CONTEXT_COUNT } from '../fixtures/contexts.js';
import { loopFlagdCore, loopFlagStore, loopProvider } from '../harness/evaluation-loops.js';
import { loadFlagdCore, loadFlagStore, startInlineProvider, wallClockEnv } from '../harness/implementations.js';

const SIDES = ['flagdCore', 'store', 'provider'];

/** A scenario loaded into every side: flagd-core, our `FlagStore`, our provider (inline flags). */
export async function prepareScenario(scenario) {
  const text = JSON.stringify(scenario.document);
  return {
    ...scenario,
    store: loadFlagStore(text),
    core: loadFlagdCore(text),
    provider: await startInlineProvider(scenario.document),
  };
}

/** One bench case per side, named `label|side`. */
export function scenarioCases(s, contexts) {
  const runs = {
    flagdCore: (n) => loopFlagdCore(s.core, s.keys, s.type, s.defaultValue, contexts, n),
    store: (n) => loopFlagStore(s.store, s.keys, s.type, s.defaultValue, contexts, wallClockEnv, n),
    provider: (n) => loopProvider(s.provider, s.keys, s.type, s.defaultValue, contexts, n),
  };
  return SIDES.map((side) => ({ name: `${s.label}|${side}`, run: runs[side] }));
}

/** The scenario's row: its label, target, agreement count and each side's measurement. */
export function scenarioRow(s, agreement, results) {
  const row = { label: s.label, target: s.target, agreement };
  for (const side of SIDES) row[side] = results.get(`${s.label}|${side}`);
  return row;
}

/** How many of the 1,024 contexts get the same value, variant and reason from both evaluators. */
export function countAgreement(s, contexts) {
  let same = 0;
  for (let i = 0; i < CONTEXT_COUNT; i++) {
    const key = s.keys[i];
    const ours = s.store.evaluate(key, s.type, s.defaultValue, contexts[i], wallClockEnv);
    const theirs =
      s.type === 'boolean'
        ? s.core.resolveBooleanEvaluation(key, s.defaultValue, contexts[i])
        : s.core.resolveStringEvaluation(key, s.defaultValue, contexts[i]);
    if (ours.value === theirs.value && ours.variant === theirs.variant && ours.reason === theirs.reason) same++;
  }
  return same;
}
