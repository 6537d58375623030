import { wallClockMs } from './sync-clock.js';
import { openGrpcSubscriber, openOfficialSubscriber } from './sync-subscribers.js';

/**
 * A child process of `npm run bench:sync` holding many subscribers, driven over IPC by
 * sync-subscriber-pool.js. Requests: `connect`, `expect`, `clock`, `disconnect`, `exit`, each answered
 * once; after an `expect`, one `applied` message carries, per subscriber, the wall-clock instants
 * (shared by every process on the machine) at which the payload with the expected value arrived
 * (`received`, unknown for the official provider) and was applied (`applied`). `lost` and `failed`
 * report a stream that ended or a request that threw.
 */

const POLL_INTERVAL_MS = 1;

/** @type {{ id: number, handle: { polled: boolean, evaluate?: () => Promise<boolean>, close: () => Promise<void> }, value: boolean | undefined, markReady: () => void }[]} */
let subscribers = [];
/** The change being waited for: the expected value and, per subscriber id, when it arrived and applied. */
let pending;
let poller;

function observe(subscriber, value, receivedAt) {
  const appliedAt = wallClockMs();
  subscriber.value = value;
  subscriber.markReady();
  if (pending === undefined || value !== pending.expected || pending.times.has(subscriber.id)) return;
  pending.times.set(subscriber.id, { received: receivedAt, applied: appliedAt });
  if (pending.times.size < subscribers.length) return;
  send({ type: 'applied', times: [...pending.times.values()] });
  pending = undefined;
  stopPolling();
}

async function openSubscriber(id, request) {
  let markReady;
  const ready = new Promise((resolve) => (markReady = resolve));
  const subscriber = { id, handle: undefined, value: undefined, markReady };
  const options = { id, kind: request.kind, port: request.port, path: request.path, flagKey: request.flagKey };
  if (request.kind === 'grpc') {
    const onLost = (reason) => send({ type: 'lost', id, reason });
    subscriber.handle = openGrpcSubscriber(options, { onValue: (value, receivedAt) => observe(subscriber, value, receivedAt), onLost });
  } else {
    subscriber.handle = await openOfficialSubscriber(options);
    observe(subscriber, await subscriber.handle.evaluate());
  }
  await ready;
  return subscriber;
}

async function connect(request) {
  const ids = Array.from({ length: request.count }, (_, index) => request.firstId + index);
  subscribers = [...subscribers, ...(await Promise.all(ids.map((id) => openSubscriber(id, request))))];
  return { type: 'connected', held: subscribers.length };
}

async function expect({ expected }) {
  const stale = subscribers.filter((subscriber) => subscriber.value === expected);
  if (stale.length > 0) throw new Error(`${stale.length} subscribers already hold ${expected} before the change`);
  pending = { expected, times: new Map() };
  if (subscribers.some((subscriber) => subscriber.handle.polled)) startPolling();
  return { type: 'expecting' };
}

function startPolling() {
  let busy = false;
  poller = setInterval(async () => {
    if (busy) return;
    busy = true;
    const polled = subscribers.filter((subscriber) => subscriber.handle.polled);
    const values = await Promise.all(polled.map((subscriber) => subscriber.handle.evaluate()));
    polled.forEach((subscriber, index) => observe(subscriber, values[index]));
    busy = false;
  }, POLL_INTERVAL_MS);
}

function stopPolling() {
  clearInterval(poller);
  poller = undefined;
}

async function disconnect() {
  stopPolling();
  pending = undefined;
  const closing = subscribers;
  subscribers = [];
  await Promise.all(closing.map((subscriber) => subscriber.handle.close()));
  return { type: 'disconnected' };
}

const handlers = {
  connect,
  expect,
  clock: async () => ({ type: 'clock', at: wallClockMs() }),
  disconnect,
  exit: async () => {
    await disconnect();
    // Closed channels and providers leave no handle behind, but a bench child must never linger.
    setImmediate(() => process.exit(0));
    return { type: 'exiting' };
  },
};

/** Replies go nowhere once the bench is gone; the 'disconnect' handler below ends this process then. */
function send(message) {
  if (process.connected) process.send(message);
}

process.on('message', (message) => {
  handlers[message.type](message).then(send, (error) => send({ type: 'failed', request: message.type, reason: error?.stack ?? String(error) }));
});
process.once('disconnect', () => process.exit(0));
