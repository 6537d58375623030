import { performance } from 'node:perf_hooks';
import { FlagLoader, FlagStore } from '../../dist/index.js';
import { SelectionStores } from '../../dist/server/evaluation/selection-stores.js';
import { ServerMetrics } from '../../dist/server/server-metrics.js';
import { SyncRuntime } from '../../dist/server/sync-runtime.js';
import { createFlagSet, generatedFlagKey } from '../fixtures/flag-documents.js';
import { loadFlagdCore, silentLogger } from '../harness/implementations.js';
import { median } from '../harness/stats.js';

const LOAD_FLAG_COUNT = 10_000;
const ORIGIN = 'bench.flagd.json';
const ALL = { kind: 'all' };

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

/** How many flags of `store` hold another compiled object than in `before`: the flags compiled again. */
function recompiled(before, store) {
  return store.keys().filter((key) => before.get(key) !== store.get(key)).length;
}

function snapshot(store) {
  return new Map(store.keys().map((key) => [key, store.get(key)]));
}

/** The provider's path: one `FlagLoader` for the file, its merged set served by one `FlagStore`. */
class ProviderSide {
  loader = new FlagLoader([ORIGIN], { strict: false });
  store = new FlagStore();

  load(text) {
    const loaded = this.loader.load(ORIGIN, { text });
    if (!loaded.ok) throw new Error(`The bench document does not load: ${loaded.error}`);
    this.store.replace(this.loader.merge());
  }
}

/**
 * The server's path: a payload of the file through `SyncRuntime` (one `FlagLoader`, wire flags) to
 * the evaluation store of the selection in use (`SelectionStores`), all synchronous.
 */
class ServerSide {
  #listener;
  runtime;
  stores;

  constructor(firstText) {
    this.runtime = new SyncRuntime({
      origins: [ORIGIN],
      createSource: (_origin, listener) => {
        this.#listener = listener;
        return {
          retriesAfterFailedStart: false,
          start: async () => listener.payload(firstText, false),
          stop: async () => undefined,
        };
      },
      metrics: new ServerMetrics([ORIGIN]),
      logger: silentLogger,
      timers: { schedule: () => () => undefined },
    });
  }

  async start() {
    await this.runtime.start();
    this.stores = new SelectionStores(this.runtime.state);
    this.stores.store(ALL);
  }

  get store() {
    return this.stores.store(ALL);
  }

  load(text) {
    this.#listener.payload(text, false);
  }
}

/**
 * Milliseconds from the text of a 10,000-flag document to flags ready to evaluate, ours (parse,
 * validate, normalise through a fresh `FlagLoader`, compile into a fresh `FlagStore`) against
 * flagd-core's `setConfigurations` into a fresh `FlagdCore`; then a reload of the same size where one
 * flag changed, into the loaded instance, for the provider's path and for the server's (payload to the
 * evaluation store of a selection), with the number of flags each compiled again. Rounds alternate the
 * sides; the median of the rounds is reported.
 */
export async function runLoadTime({ rounds }) {
  const { original, edited } = documentTexts();
  const samples = { storeFresh: [], coreFresh: [], storeEdit: [], coreEdit: [], serverEdit: [] };
  const provider = new ProviderSide();
  provider.load(original);
  const server = new ServerSide(original);
  await server.start();
  const core = loadFlagdCore(original);
  const compiledAgain = { provider: [], server: [] };
  for (let round = 0; round < rounds; round++) {
    samples.coreFresh.push(timeMs(() => loadFlagdCore(original)));
    samples.storeFresh.push(timeMs(() => new ProviderSide().load(original)));
    const next = round % 2 === 0 ? edited : original;
    samples.coreEdit.push(timeMs(() => loadFlagdCore(next, core)));
    const providerBefore = snapshot(provider.store);
    samples.storeEdit.push(timeMs(() => provider.load(next)));
    compiledAgain.provider.push(recompiled(providerBefore, provider.store));
    const serverBefore = snapshot(server.store);
    samples.serverEdit.push(timeMs(() => server.load(next)));
    compiledAgain.server.push(recompiled(serverBefore, server.store));
  }
  await server.runtime.stop();
  return {
    flagCount: LOAD_FLAG_COUNT,
    megabytes: Buffer.byteLength(original) / 1e6,
    fresh: summarize(samples.storeFresh, samples.coreFresh),
    oneChanged: { ...summarize(samples.storeEdit, samples.coreEdit), recompiled: Math.max(...compiledAgain.provider) },
    serverOneChanged: {
      ...summarize(samples.serverEdit, samples.coreEdit),
      recompiled: Math.max(...compiledAgain.server),
    },
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
