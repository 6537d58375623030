import { wallClockMs } from './sync-clock.js';
import { openEventSubscriber, openGrpcSubscriber, openOfficialSubscriber } from './sync-subscribers.js';

/**
 * A child process of `npm run bench:sync` and `npm run bench:fleet` holding many subscribers, driven over IPC by
 * sync-subscriber-pool.js. Requests: `connect`, `expect`, `clock`, `disconnect`, `exit`, each answered
 * once. After an `expect`, one `applied` message carries per subscriber the wall-clock instants
 * (shared by every process on the machine) at which the new payload arrived (`received`) and at which
 * the subscriber held the new value (`applied`), and the CPU time the child spent meanwhile (`cpuMs`).
 * `lost` and `failed` report a stream that ended or a request that threw.
 *
 * Up to 250 gRPC subscribers share this process, where real instances each have their own CPU. So
 * that one's work does not delay the others' receipt, payloads of a change are only stamped on
 * arrival; once all have arrived each is applied in turn and timed, and its `applied` instant is its
 * arrival plus its own apply time: when an instance on its own CPU would hold the value. The official
 * provider gives no hook at either point: it is polled every millisecond, `applied` is when the poll
 * saw the value, `received` and `cpuMs` (mostly the polling itself) are not reported. Event kinds
 * (`genesis-sync`, `flagd-events`: a provider observed as an application observes it) evaluate on each
 * PROVIDER_CONFIGURATION_CHANGED; `applied` is when that evaluation returned. Their providers decode
 * and apply payloads in this process one after another, so a subscriber's time includes waiting for
 * the others in its process: an upper bound on what an instance with its own CPU would see.
 */

const POLL_INTERVAL_MS = 1;
/** Kinds observed through PROVIDER_CONFIGURATION_CHANGED (see openEventSubscriber). */
const EVENT_KINDS = new Set(['genesis-sync', 'flagd-events']);

/** @type {{ id: number, handle: object, value: boolean | undefined, markReady: () => void }[]} */
let subscribers = [];
/** The change being waited for: the expected value, arrivals not yet applied (and how many will come), times per subscriber id, CPU clock at the start. */
let pending;
let poller;

function observe(subscriber, value, times) {
  subscriber.value = value;
  subscriber.markReady();
  if (pending === undefined || value !== pending.expected || pending.times.has(subscriber.id)) return;
  pending.times.set(subscriber.id, times);
  if (pending.times.size < subscribers.length) return;
  const cpu = poller === undefined ? process.cpuUsage(pending.cpuAtExpect) : undefined;
  send({
    type: 'applied',
    times: [...pending.times.values()],
    cpuMs: cpu === undefined ? undefined : (cpu.user + cpu.system) / 1000,
  });
  pending = undefined;
  stopPolling();
}

function onMessage(subscriber, text, receivedAt) {
  if (pending === undefined) {
    observe(subscriber, subscriber.handle.apply(text), {});
    return;
  }
  pending.arrivals.push({ subscriber, text, receivedAt });
  if (pending.arrivals.length === pending.payloadSubscribers) setImmediate(applyArrivals);
}

function applyArrivals() {
  if (pending === undefined) return;
  for (const { subscriber, text, receivedAt } of pending.arrivals.splice(0)) {
    const started = wallClockMs();
    const value = subscriber.handle.apply(text);
    const applied = receivedAt + (wallClockMs() - started);
    observe(subscriber, value, { received: receivedAt, applied, kind: 'grpc', port: subscriber.port });
  }
}

async function openSubscriber(id, request) {
  let markReady;
  const ready = new Promise((resolve) => (markReady = resolve));
  const subscriber = { id, port: request.port, handle: undefined, value: undefined, markReady };
  const options = { id, kind: request.kind, port: request.port, path: request.path, flagKey: request.flagKey };
  if (request.kind === 'grpc') {
    const onLost = (reason) => send({ type: 'lost', id, reason });
    subscriber.handle = openGrpcSubscriber(options, {
      onMessage: (text, receivedAt) => onMessage(subscriber, text, receivedAt),
      onLost,
    });
  } else if (EVENT_KINDS.has(request.kind)) {
    subscriber.handle = await openEventSubscriber(options, {
      onValue: (value, at) => observe(subscriber, value, { applied: at, kind: request.kind, port: request.port }),
    });
    observe(subscriber, await subscriber.handle.evaluate(), {});
  } else {
    subscriber.handle = await openOfficialSubscriber(options);
    observe(subscriber, await subscriber.handle.evaluate(), {});
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
  pending = {
    expected,
    arrivals: [],
    // Only raw gRPC subscribers hand over payloads; providers observe changes themselves.
    payloadSubscribers: subscribers.filter((subscriber) => subscriber.handle.apply !== undefined).length,
    times: new Map(),
    cpuAtExpect: process.cpuUsage(),
  };
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
    const at = wallClockMs();
    polled.forEach((subscriber, index) => observe(subscriber, values[index], { applied: at }));
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
  handlers[message.type](message).then(send, (error) =>
    send({ type: 'failed', request: message.type, reason: error?.stack ?? String(error) }),
  );
});
process.once('disconnect', () => process.exit(0));
