import { credentials } from '@grpc/grpc-js';
import { FlagdProvider } from '@openfeature/flagd-provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { FlagStore, loadFlagDocument } from '../dist/index.js';
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
  const domain = `bench-${id}`;
  const provider = new FlagdProvider(options, silentLogger);
  await OpenFeature.setProviderAndWait(domain, provider);
  const client = OpenFeature.getClient(domain);
  return {
    polled: true,
    evaluate: () => client.getBooleanValue(flagKey, false),
    close: () => provider.onClose(),
  };
}
