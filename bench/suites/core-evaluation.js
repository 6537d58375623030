import { CONTEXT_COUNT, createContexts } from '../fixtures/contexts.js';
import { createFlagSet, createScenarioDocument, generatedFlagKey } from '../fixtures/flag-documents.js';
import { loopFlagdCore, loopFlagStore, loopProvider } from '../harness/evaluation-loops.js';
import { loadFlagdCore, loadFlagStore, startInlineProvider, wallClockEnv } from '../harness/implementations.js';
import { measureSideBySide } from '../harness/measure.js';

const SET_SIZE = 1000;
// Coprime with SET_SIZE, so the 1,024 slots visit every flag of the set in a scattered order.
const KEY_STRIDE = 613;

/** The evaluator scenarios: which document, which flag key(s), which type, and the target ratio. */
function scenarios(nowSeconds) {
  const single = (key) => Array.from({ length: CONTEXT_COUNT }, () => key);
  const scenarioDocument = createScenarioDocument(nowSeconds);
  const largeSet = createFlagSet(SET_SIZE);
  return [
    { label: 'static flag', document: scenarioDocument, keys: single('static-flag'), type: 'boolean', defaultValue: false, target: 3 },
    { label: '`ends_with` targeting', document: scenarioDocument, keys: single('email-domain'), type: 'boolean', defaultValue: false, target: 2 },
    { label: '4-way `fractional`', document: scenarioDocument, keys: single('color-experiment'), type: 'string', defaultValue: 'none', target: 2 },
    { label: '`in`-list canary (64 keys)', document: scenarioDocument, keys: single('canary'), type: 'boolean', defaultValue: false },
    { label: 'progressive `fractional` (weights over `$flagd.timestamp`)', document: scenarioDocument, keys: single('progressive-rollout'), type: 'boolean', defaultValue: false },
    {
      label: '1,000-flag set, rotating key',
      document: largeSet,
      keys: Array.from({ length: CONTEXT_COUNT }, (_, i) => generatedFlagKey((i * KEY_STRIDE) % SET_SIZE)),
      type: 'boolean',
      defaultValue: false,
    },
  ];
}

/**
 * Ours (`FlagStore.evaluate`, and `GenesisProvider.resolve*Evaluation`) against flagd-core's
 * `resolve*Evaluation`, every scenario measured together, after checking both give the same answers.
 */
export async function runCoreEvaluation(options) {
  const contexts = createContexts();
  const list = await Promise.all(scenarios(Math.floor(Date.now() / 1000)).map((scenario) => prepare(scenario)));
  const agreement = new Map(list.map((s) => [s.label, countAgreement(s, contexts)]));
  const cases = list.flatMap((s) => [
    { name: `${s.label}|flagd-core`, run: (n) => loopFlagdCore(s.core, s.keys, s.type, s.defaultValue, contexts, n) },
    { name: `${s.label}|store`, run: (n) => loopFlagStore(s.store, s.keys, s.type, s.defaultValue, contexts, wallClockEnv, n) },
    { name: `${s.label}|provider`, run: (n) => loopProvider(s.provider, s.keys, s.type, s.defaultValue, contexts, n) },
  ]);
  const results = await measureSideBySide(cases, options);
  await Promise.all(list.map((s) => s.provider.onClose()));
  return list.map((s) => ({
    label: s.label,
    target: s.target,
    agreement: agreement.get(s.label),
    flagdCore: results.get(`${s.label}|flagd-core`),
    store: results.get(`${s.label}|store`),
    provider: results.get(`${s.label}|provider`),
  }));
}

async function prepare(scenario) {
  const text = JSON.stringify(scenario.document);
  return { ...scenario, store: loadFlagStore(text), core: loadFlagdCore(text), provider: await startInlineProvider(scenario.document) };
}

/** How many of the 1,024 contexts get the same value, variant and reason from both evaluators. */
function countAgreement(scenario, contexts) {
  let same = 0;
  for (let i = 0; i < CONTEXT_COUNT; i++) {
    const key = scenario.keys[i];
    const ours = scenario.store.evaluate(key, scenario.type, scenario.defaultValue, contexts[i], wallClockEnv);
    const theirs = scenario.type === 'boolean'
      ? scenario.core.resolveBooleanEvaluation(key, scenario.defaultValue, contexts[i])
      : scenario.core.resolveStringEvaluation(key, scenario.defaultValue, contexts[i]);
    if (ours.value === theirs.value && ours.variant === theirs.variant && ours.reason === theirs.reason) same++;
  }
  return same;
}
