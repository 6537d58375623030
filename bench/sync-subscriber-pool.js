import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { wallClockMs } from './sync-clock.js';

const CHILD_SCRIPT = fileURLToPath(new URL('./sync-subscriber-process.js', import.meta.url));
const CONNECT_TIMEOUT_MS = 60_000;
const REPLY_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 5_000;

/**
 * A fixed set of child processes holding subscribers, spread evenly between them. Each child answers
 * one request at a time; every wait is bounded, and a child that reports a lost stream or a failed
 * request fails whatever the parent is waiting for.
 */
export function startSubscriberPool(processCount) {
  const children = Array.from({ length: processCount }, () => startChild());
  let nextId = 0;
  const busy = () => children.filter((child) => child.held > 0);
  return {
    get held() {
      return children.reduce((sum, child) => sum + child.held, 0);
    },
    /** Adds `count` subscribers of one kind; resolves once each has applied its first payload. */
    async add(kind, options, count) {
      const shares = children.map(
        (_, index) => Math.floor(count / processCount) + (index < count % processCount ? 1 : 0),
      );
      await Promise.all(
        children.map(async (child, index) => {
          if (shares[index] === 0) return;
          const firstId = nextId;
          nextId += shares[index];
          const reply = await child.request(
            { type: 'connect', kind, count: shares[index], firstId, ...options },
            'connected',
            CONNECT_TIMEOUT_MS,
          );
          child.held = reply.held;
        }),
      );
    },
    /**
     * Announces the value every subscriber must reach, runs `write`, and returns the milliseconds from
     * the start of the write to each subscriber receiving the new payload (when the kind can tell) and
     * holding the new value, each one's own apply time, and the CPU time all children spent meanwhile.
     */
    async measureChange(expected, write, timeoutMs) {
      const holders = busy();
      await Promise.all(
        holders.map((child) => child.request({ type: 'expect', expected }, 'expecting', REPLY_TIMEOUT_MS)),
      );
      const applied = holders.map((child) => child.next('applied', timeoutMs));
      const start = wallClockMs();
      await write();
      const replies = await Promise.all(applied);
      const times = replies.flatMap((reply) => reply.times);
      return {
        /** The instant (wall clock) the samples are measured from. */
        startedAt: start,
        received: times.filter((time) => time.received !== undefined).map((time) => time.received - start),
        applied: times.map((time) => time.applied - start),
        applyCost: times.filter((time) => time.received !== undefined).map((time) => time.applied - time.received),
        /** Every sample with who took it: the subscriber's kind and the port it subscribed to. */
        labelled: times.map((time) => ({
          kind: time.kind,
          port: time.port,
          applied: time.applied - start,
          received: time.received === undefined ? undefined : time.received - start,
        })),
        subscriberCpuMs: replies.some((reply) => reply.cpuMs === undefined)
          ? undefined
          : replies.reduce((sum, reply) => sum + reply.cpuMs, 0),
      };
    },
    /**
     * Per child, its clock minus ours at the middle of a round trip, from the quickest of a few round
     * trips (the estimate is off by at most half that round trip), and that round trip (ms).
     */
    async clockChecks() {
      return Promise.all(children.map((child) => quickestClockCheck(child)));
    },
    async disconnect() {
      await Promise.all(
        busy().map(async (child) => {
          await child.request({ type: 'disconnect' }, 'disconnected', CONNECT_TIMEOUT_MS);
          child.held = 0;
        }),
      );
    },
    /** Closes every subscriber and waits for every child to exit; kills one that does not. */
    stop: () => Promise.all(children.map((child) => child.stop())),
  };
}

const CLOCK_ROUND_TRIPS = 5;

async function quickestClockCheck(child) {
  let best;
  for (let trip = 0; trip < CLOCK_ROUND_TRIPS; trip++) {
    const sent = wallClockMs();
    const reply = await child.request({ type: 'clock' }, 'clock', REPLY_TIMEOUT_MS);
    const received = wallClockMs();
    if (best === undefined || received - sent < best.roundTripMs)
      best = { offsetMs: reply.at - (sent + received) / 2, roundTripMs: received - sent };
  }
  return best;
}

function startChild() {
  const child = fork(CHILD_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const inbox = [];
  const waiters = [];
  let failure;
  const fail = (error) => {
    failure ??= error;
    for (const waiter of waiters.splice(0)) waiter.reject(failure);
  };
  child.on('message', (message) => {
    if (message.type === 'lost')
      return fail(new Error(`Subscriber ${message.id} in process ${child.pid} lost its stream: ${message.reason}`));
    if (message.type === 'failed')
      return fail(new Error(`Process ${child.pid} failed "${message.request}": ${message.reason}`));
    const index = waiters.findIndex((waiter) => waiter.type === message.type);
    if (index === -1) inbox.push(message);
    else waiters.splice(index, 1)[0].resolve(message);
  });
  // A send to a child that just died emits 'error' on it; the exit below reports the death itself.
  child.on('error', (error) => fail(new Error(`Subscriber process ${child.pid}: ${error.message}`, { cause: error })));
  const exited = once(child, 'exit');
  exited.then(([code]) => fail(new Error(`Subscriber process ${child.pid} exited (code ${code})`)));
  const next = (type, timeoutMs) => {
    if (failure !== undefined) return Promise.reject(failure);
    const index = inbox.findIndex((message) => message.type === type);
    if (index !== -1) return Promise.resolve(inbox.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = { type, resolve, reject };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`No "${type}" from subscriber process ${child.pid} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiter.resolve = (message) => (clearTimeout(timer), resolve(message));
      waiter.reject = (error) => (clearTimeout(timer), reject(error));
      waiters.push(waiter);
    });
  };
  return {
    held: 0,
    next,
    request(message, replyType, timeoutMs) {
      if (!child.connected) return Promise.reject(failure ?? new Error(`Subscriber process ${child.pid} is gone`));
      child.send(message);
      return next(replyType, timeoutMs);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
