import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { pushCommand } from '../dist/cli/commands/push.js';
import { startRedisProcess } from './fleet/redis-process.js';
import { printFleetReport } from './fleet/fleet-report.js';
import { seededRandom } from './harness/seeded-random.js';
import { wallClockMs } from './sync-clock.js';
import { createSyncFixture, FLIPPED_FLAG_KEY } from './sync-fixture.js';
import { startServerProcess } from './sync-server-process.js';
import { startSubscriberPool } from './sync-subscriber-pool.js';

/**
 * `npm run bench:fleet`: a real redis-server (AOF on), `genesis-flags serve --store` replicas as
 * deployed (each its own process), and 60 OpenFeature subscribers, half the official flagd provider
 * (in-process mode) and half ours (sync mode), each observed through PROVIDER_CONFIGURATION_CHANGED.
 * A push (`push`'s own code path, in this process) flips one flag; a sample is the time from the
 * start of the push to one subscriber's evaluation returning the new value.
 *
 * Two setups run side by side, each on a flag set of its own in the same Redis: the fleet (3
 * replicas, 20 subscribers each) and the anchor (one replica, all 60 subscribers). Their pushes
 * alternate, so both see the same machine load; the ratio of the two is the figure to compare.
 * Loopback only; every wait is bounded; every process is stopped at the end.
 */

const REPLICAS = 3;
/** Per kind, per setup: 30 of ours and 30 official providers make the 60 subscribers. */
const SUBSCRIBERS_PER_KIND = 30;
const KINDS = ['genesis-sync', 'flagd-events'];
const PROCESSES_PER_SETUP = 3;
const PUSHES = Number(process.env.FLEET_PUSHES ?? 40);
/** Pause before each push, drawn uniformly below this (seeded), so pushes land at random phases. */
const PAUSE_MS = 200;
const PUSH_TIMEOUT_MS = 10_000;
const STREAM_COUNT_TIMEOUT_MS = 30_000;
const HELD_STREAMS = 1_000;
const HELD_PUSHES = 5;
const SETTLE_MS = 1_000;
const SEED = 12;

const progress = (message) => process.stderr.write(`[bench:fleet] ${message}\n`);

/** With FLEET_BENCH_CPU_PROF_DIR set, each replica writes a V8 CPU profile there when it exits. */
const SERVER_NODE_ARGS =
  process.env.FLEET_BENCH_CPU_PROF_DIR === undefined
    ? []
    : ['--cpu-prof', '--cpu-prof-dir', process.env.FLEET_BENCH_CPU_PROF_DIR];

/** Pushes the setup's file to its flag set, as a CI job runs `push`; resolves to how long that took (ms). */
async function pushFile(redis, setup) {
  const started = wallClockMs();
  const pushed = await pushCommand([setup.fixture.genesisPath], { store: redis.url, flagSet: setup.flagSetId }, {});
  if (pushed.exitCode !== 0) throw new Error(`push to ${setup.flagSetId} failed: ${pushed.stderr.join('\n')}`);
  return wallClockMs() - started;
}

/**
 * Gives `setup` (added to `setups` first, so whatever started is stopped) its flag set's first
 * revision, its replicas, and its subscribers connected to them.
 */
async function startSetup(redis, setups, { label, flagSetId, replicaCount }) {
  const setup = { label, flagSetId, replicas: [], pushes: [] };
  setups.push(setup);
  setup.fixture = await createSyncFixture();
  await pushFile(redis, setup);
  for (let index = 0; index < replicaCount; index++) {
    const server = await startServerProcess(['--store', redis.url, '--flag-set', flagSetId], {
      nodeArgs: SERVER_NODE_ARGS,
    });
    setup.replicas.push({ server });
  }
  setup.pool = startSubscriberPool(PROCESSES_PER_SETUP);
  const perReplica = SUBSCRIBERS_PER_KIND / replicaCount;
  setup.probes = startSubscriberPool(1);
  for (const { server } of setup.replicas) {
    const options = { port: server.syncPort, flagKey: FLIPPED_FLAG_KEY };
    for (const kind of KINDS) await setup.pool.add(kind, options, perReplica);
    await setup.probes.add('grpc', options, 1);
  }
  await Promise.all(setup.replicas.map(({ server }) => awaitStreams(server, perReplica * KINDS.length + 1)));
  setup.subscribers = setup.pool.held;
  progress(`${label}: ${setup.subscribers} subscribers on ${replicaCount} replica(s)`);
}

/** Waits (bounded) until the replica's stream gauge shows `count`: streams open asynchronously. */
async function awaitStreams(server, count) {
  const deadline = Date.now() + STREAM_COUNT_TIMEOUT_MS;
  while ((await server.openStreams()) !== count) {
    if (Date.now() > deadline)
      throw new Error(`Replica ${server.pid} holds ${await server.openStreams()} streams, expected ${count}`);
    await sleep(50);
  }
}

async function memoryOf(server) {
  const { heapUsed, external } = await server.memoryAfterGc();
  return { rss: await server.rssBytes(), heapUsed, external };
}

/**
 * One push to `setup`: the file flipped, then pushed while every subscriber and probe waits for the
 * new value. It keeps every sample from the start of the push, how long `push` took, and when a
 * blocking read of the change log, as the replicas do, first saw the new entry.
 */
async function measurePush(redis, setup) {
  const expected = !setup.fixture.genesis.value;
  await setup.fixture.genesis.write(expected);
  const log = `genesis-flags:{${setup.flagSetId}}:log`;
  const lastId = await redis.lastEntryId(log);
  const timings = {};
  const push = async () => {
    timings.startedAt = wallClockMs();
    const seen = redis.entryAfter(log, lastId, PUSH_TIMEOUT_MS);
    timings.pushMs = await pushFile(redis, setup);
    timings.inLogMs = (await seen) - timings.startedAt;
  };
  let change;
  const probed = await setup.probes.measureChange(
    expected,
    async () => (change = await setup.pool.measureChange(expected, push, PUSH_TIMEOUT_MS)),
    PUSH_TIMEOUT_MS,
  );
  setup.fixture.genesis.value = expected;
  const fromPush = (result) =>
    result.labelled.map((sample) => ({
      ...sample,
      applied: sample.applied + result.startedAt - timings.startedAt,
      received: sample.received === undefined ? undefined : sample.received + result.startedAt - timings.startedAt,
    }));
  setup.pushes.push({
    samples: [...fromPush(change), ...fromPush(probed)],
    pushMs: timings.pushMs,
    inLogMs: timings.inLogMs,
    subscriberCpuMs: change.subscriberCpuMs,
  });
}

/** Alternates the setups' pushes (which goes first alternates too), each after a seeded pause. */
async function measurePushes(redis, setups, random) {
  const cpuBefore = await Promise.all(setups.map((setup) => cpuOf(setup)));
  for (let round = 0; round < PUSHES; round++) {
    const order = round % 2 === 0 ? setups : [...setups].reverse();
    for (const setup of order) {
      await sleep(PAUSE_MS * random());
      await measurePush(redis, setup);
    }
    if ((round + 1) % 10 === 0) progress(`${round + 1} of ${PUSHES} pushes per setup`);
  }
  const cpuAfter = await Promise.all(setups.map((setup) => cpuOf(setup)));
  setups.forEach((setup, index) =>
    setup.replicas.forEach((replica, at) => (replica.cpuMs = cpuAfter[index][at] - cpuBefore[index][at])),
  );
}

const cpuOf = (setup) => Promise.all(setup.replicas.map(({ server }) => server.cpuMs()));

/** Each replica's streams, connections and memory with its subscribers connected, after a full GC. */
async function measureReplicas(setups) {
  await sleep(SETTLE_MS);
  for (const setup of setups)
    for (const replica of setup.replicas) {
      replica.streams = await replica.server.openStreams();
      replica.connections = await replica.server.connections();
      replica.held = await memoryOf(replica.server);
    }
}

async function measureRedis(redis, setups) {
  const keys = setups.flatMap((setup) => [
    `genesis-flags:{${setup.flagSetId}}:set`,
    `genesis-flags:{${setup.flagSetId}}:log`,
  ]);
  return {
    version: await redis.version(),
    memory: await redis.memory(),
    keys: await redis.keyUsage(keys),
    clients: await redis.connectedClients(),
  };
}

/**
 * Memory per stream and CPU per push on one replica at `HELD_STREAMS` streams (raw gRPC subscribers,
 * each its own connection, as instances on their own machines would be): the setup's subscribers are
 * closed, a full GC before and after the streams open, then `HELD_PUSHES` pushes reach every stream.
 */
async function measureHeldStreams(redis, setup) {
  const { server } = setup.replicas[0];
  await setup.pool.disconnect();
  await setup.probes.disconnect();
  await awaitStreams(server, 0);
  await sleep(SETTLE_MS);
  const before = await memoryOf(server);
  progress(`${setup.label}: opening ${HELD_STREAMS} streams`);
  await setup.pool.add('grpc', { port: server.syncPort, flagKey: FLIPPED_FLAG_KEY }, HELD_STREAMS);
  await awaitStreams(server, HELD_STREAMS);
  await sleep(SETTLE_MS);
  const after = await memoryOf(server);
  const connections = await server.connections();
  const cpuBefore = await server.cpuMs();
  const pushes = [];
  for (let push = 0; push < HELD_PUSHES; push++) {
    await measurePush(redis, setup);
    pushes.push(setup.pushes.pop());
  }
  const cpuMsPerPush = ((await server.cpuMs()) - cpuBefore) / HELD_PUSHES;
  const stillOpen = await server.openStreams();
  await setup.pool.disconnect();
  return { streams: HELD_STREAMS, before, after, connections, cpuMsPerPush, stillOpen, pushes };
}

async function stopSetup(setup) {
  await setup.probes?.stop();
  await setup.pool?.stop();
  setup.exitCodes = await Promise.all(setup.replicas.map(({ server }) => server.stop()));
  await setup.fixture?.remove();
}

async function main() {
  const startedAt = new Date();
  const loadBefore = loadavg()[0];
  const random = seededRandom(SEED);
  const redis = await startRedisProcess();
  const setups = [];
  try {
    await startSetup(redis, setups, { label: 'fleet', flagSetId: 'fleet', replicaCount: REPLICAS });
    await startSetup(redis, setups, { label: 'single server', flagSetId: 'single', replicaCount: 1 });
    await measurePushes(redis, setups, random);
    await measureReplicas(setups);
    const store = await measureRedis(redis, setups);
    const clock = await setups[0].pool.clockChecks();
    const held = await measureHeldStreams(redis, setups[1]);
    for (const setup of setups) await stopSetup(setup);
    printFleetReport({
      startedAt,
      loadBefore,
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      fixture: setups[0].fixture,
      processesPerSetup: PROCESSES_PER_SETUP,
      setups,
      store,
      clock,
      held,
    });
  } finally {
    for (const setup of setups) if (setup.exitCodes === undefined) await stopSetup(setup);
    await redis.stop();
  }
}

await main();
