import { FlagdCore } from '@openfeature/flagd-core';
import { FlagStore, GenesisProvider, loadFlagDocument } from '../../dist/index.js';

/** Both sides log schema findings and reloads; the bench keeps the console for its table. */
export const silentLogger = Object.freeze({ error() {}, warn() {}, info() {}, debug() {} });

/** The clock our evaluator is given, as `GenesisProvider` builds it from its default `now`. */
export const wallClockEnv = Object.freeze({ nowSeconds: () => Math.floor(Date.now() / 1000) });

/** Our path from document text to a store ready to evaluate: parse, validate, normalise, compile. */
export function loadFlagStore(text, store = new FlagStore()) {
  const loaded = loadFlagDocument(text, 'bench.flagd.json', { strict: false });
  if (!loaded.ok) throw new Error(`The bench document does not load: ${loaded.error}`);
  store.replace(loaded.value);
  return store;
}

/** flagd-core's path from document text to evaluation: `setConfigurations`. */
export function loadFlagdCore(text, core = new FlagdCore(undefined, silentLogger)) {
  core.setConfigurations(text);
  return core;
}

/** Our provider over an inline document, initialised, with environment overrides off. */
export async function startInlineProvider(document) {
  const provider = new GenesisProvider({ flags: document, envOverrides: false, logger: silentLogger });
  await provider.initialize();
  return provider;
}
