import { credentials } from '@grpc/grpc-js';
import { FlagdProvider } from '@openfeature/flagd-provider';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { FlagStore, GenesisProvider, loadFlagDocument } from '../dist/index.js';
import { loadSyncProtocol } from '../dist/flagd/sync/sync-proto.js';
import { wallClockMs } from './sync-clock.js';

const CONNECT_DEADLINE_MS = 5_000;
const silentLogger = Object.freeze({ error() {}, warn() {}, info() {}, debug() {} });
const evaluationEnv = Object.freeze({ nowSeconds: () => Math.floor(Date.now() / 1000) });

/**
 * One subscriber over a raw grpc-js client: its own channel with a local subchannel pool, so its own
 * TCP connection (grpc-js otherwise shares one connection between channels with equal options), and
 * its own SyncFlags stream. `onMessage` gets each payload and its arrival instant; `apply` does what
 * our provider does with a payload (load, translate, compile into a FlagStore) and evaluates the
 * flipped flag.
 */
export function openGrpcSubscriber({ id, port, flagKey }, { onMessage, onLost }) {
  const { SyncClient } = loadSyncProtocol();
  const client = new SyncClient(`127.0.0.1:${port}`, credentials.createInsecure(), {
    'grpc.use_local_subchannel_pool': 1,
  });
  const store = new FlagStore();
  const call = client.SyncFlags({ providerId: `bench-${id}`, selector: '' });
  let closing = false;
  call.on('data', (message) => onMessage(message.flagConfiguration, wallClockMs()));
  // Every ending arrives as 'status'; the 'error' event only needs a listener.
  call.on('error', () => undefined);
  call.on('status', (ending) => {
    if (!closing) onLost(`stream ended: code ${ending.code} ${ending.details}`);
  });
  return {
    polled: false,
    apply: (text) => applyPayload(store, text, flagKey),
    close: async () => {
      closing = true;
      call.cancel();
      client.close();
    },
  };
}

function applyPayload(store, text, flagKey) {
  const loaded = loadFlagDocument(text, 'sync.flagd.json', { strict: false });
  if (!loaded.ok) throw new Error(`A payload did not load: ${loaded.error}`);
  store.replace(loaded.value);
  return store.evaluate(flagKey, 'boolean', false, {}, evaluationEnv).value;
}

/**
 * The official @openfeature/flagd-provider, in-process against our server (`port`) or in file mode
 * (in-process with `offlineFlagSourcePath`, read again when fs.watchFile notices a change, ~5 s), each in its own OpenFeature domain. It has no hook
 * that fires after a payload is applied, so the child polls `evaluate()` every millisecond.
 */
export async function openOfficialSubscriber({ id, kind, port, path, flagKey }) {
  // The default 500 ms connection deadline is too short on a busy 2-core machine.
  const options =
    kind === 'flagd-file'
      ? { resolverType: 'in-process', offlineFlagSourcePath: path }
      : { resolverType: 'in-process', host: '127.0.0.1', port, deadlineMs: CONNECT_DEADLINE_MS };
  const provider = new FlagdProvider(options, silentLogger);
  return { polled: true, ...(await openClient(`bench-${id}`, provider, flagKey)) };
}

/**
 * An OpenFeature client that learns of changes as an application does: on each
 * PROVIDER_CONFIGURATION_CHANGED it evaluates the flipped flag, and `onValue` gets the value and the
 * instant the evaluation returned. `kind` 'genesis-sync' is our provider in sync mode; 'flagd-events'
 * the official provider in in-process mode, both against our server on `port`.
 */
export async function openEventSubscriber({ id, kind, port, flagKey }, { onValue }) {
  const provider =
    kind === 'genesis-sync'
      ? new GenesisProvider({
          sync: { host: '127.0.0.1', port, providerId: `bench-${id}`, connectTimeoutMs: CONNECT_DEADLINE_MS },
          logger: silentLogger,
          environment: {},
        })
      : new FlagdProvider(
          { resolverType: 'in-process', host: '127.0.0.1', port, deadlineMs: CONNECT_DEADLINE_MS },
          silentLogger,
        );
  const opened = await openClient(`bench-${id}`, provider, flagKey);
  opened.client.addHandler(ProviderEvents.ConfigurationChanged, async () => {
    const value = await opened.evaluate();
    onValue(value, wallClockMs());
  });
  return { polled: false, evented: true, ...opened };
}

async function openClient(domain, provider, flagKey) {
  await OpenFeature.setProviderAndWait(domain, provider);
  const client = OpenFeature.getClient(domain);
  return {
    client,
    evaluate: () => client.getBooleanValue(flagKey, false),
    close: () => provider.onClose(),
  };
}
