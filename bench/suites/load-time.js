import { performance } from 'node:perf_hooks';
import { FlagStore } from '../../dist/index.js';
import { createFlagSet, generatedFlagKey } from '../fixtures/flag-documents.js';
import { loadFlagdCore, loadFlagStore } from '../harness/implementations.js';
import { median } from '../harness/stats.js';

const LOAD_FLAG_COUNT = 10_000;

/** The same document with one flag's default flipped: what a typical edit of a large file is. */
function documentTexts() {
  const original = createFlagSet(LOAD_FLAG_COUNT);
  const edited = createFlagSet(LOAD_FLAG_COUNT);
  const key = generatedFlagKey(LOAD_FLAG_COUNT / 2);
  edited.flags[key] = {
    ...edited.flags[key],
    defaultVariant: edited.flags[key].defaultVariant === 'on' ? 'off' : 'on',
  };
  return { original: JSON.stringify(original), edited: JSON.stringify(edited) };
}

function timeMs(action) {
  if (typeof globalThis.gc === 'function') globalThis.gc();
  const start = performance.now();
  action();
  return performance.now() - start;
}

/**
 * Milliseconds from the text of a 10,000-flag document to flags ready to evaluate, ours (parse,
 * validate, normalise, compile into a fresh `FlagStore`) against flagd-core's `setConfigurations`
 * into a fresh `FlagdCore`; then a reload of the same size where one flag changed, into the
 * loaded instance. Rounds alternate the sides; the median of the rounds is reported.
 */
export function runLoadTime({ rounds }) {
  const { original, edited } = documentTexts();
  const samples = { storeFresh: [], coreFresh: [], storeEdit: [], coreEdit: [] };
  const store = loadFlagStore(original, new FlagStore());
  const core = loadFlagdCore(original);
  for (let round = 0; round < rounds; round++) {
    samples.coreFresh.push(timeMs(() => loadFlagdCore(original)));
    samples.storeFresh.push(timeMs(() => loadFlagStore(original)));
    const next = round % 2 === 0 ? edited : original;
    samples.coreEdit.push(timeMs(() => loadFlagdCore(next, core)));
    samples.storeEdit.push(timeMs(() => loadFlagStore(next, store)));
  }
  return {
    flagCount: LOAD_FLAG_COUNT,
    megabytes: Buffer.byteLength(original) / 1e6,
    fresh: summarize(samples.storeFresh, samples.coreFresh),
    oneChanged: summarize(samples.storeEdit, samples.coreEdit),
  };
}

/** Medians, and the speed-up as the median of each round's ratio (both sides ran back to back). */
function summarize(store, flagdCore) {
  return {
    store: median(store),
    flagdCore: median(flagdCore),
    speedUp: median(flagdCore.map((theirs, round) => theirs / store[round])),
  };
}
