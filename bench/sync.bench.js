import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from './harness/seeded-random.js';
import { createSyncFixture, FLIPPED_FLAG_KEY } from './sync-fixture.js';
import { printReport, summarise } from './sync-report.js';
import { startServerProcess } from './sync-server-process.js';
import { startSubscriberPool } from './sync-subscriber-pool.js';

/**
 * `npm run bench:sync`: the sync server (`genesis-flags serve`, its own process) feeding subscribers
 * held by separate child processes, each subscriber its own channel, connection and stream. One flag
 * of the served file is flipped per change; the samples are the times from the start of the write to
 * each subscriber receiving the new payload and holding the new value (see sync-subscriber-process.js).
 * Loopback only; every loop and wait is bounded; every process is stopped at the end.
 */

const SUBSCRIBER_PROCESSES = 4;
const FLEET_SIZES = [10, 100, 500];
const CHANGES = 10;
/** Pause before each change, drawn uniformly below this (seeded), so writes land at random phases. */
const PAUSE_MS = 200;
const CHANGE_TIMEOUT_MS = 10_000;
const OFFICIAL_SUBSCRIBERS = 10;
const HELD_STREAMS = 1_000;
const HELD_CHANGES = 3;
/** The official file mode polls with fs.watchFile every ~5 s: pauses cover a whole polling cycle. */
const FILE_MODE_PAUSE_MS = 5_000;
const FILE_MODE_CHANGES = 12;
const FILE_MODE_TIMEOUT_MS = 15_000;
const SETTLE_MS = 1_000;
const STREAM_COUNT_TIMEOUT_MS = 10_000;
const SEED = 4;

/** Progress on stderr, so stdout is the report alone. */
const progress = (message) => process.stderr.write(`[bench:sync] ${message}\n`);

async function measureChanges(pool, { label, changes, pauseMs, timeoutMs, file, random, server }) {
  progress(`${label}: ${changes} changes at ${pool.held} subscribers`);
  const perChange = [];
  const cpuBefore = await server?.cpuMs();
  for (let change = 0; change < changes; change++) {
    await sleep(pauseMs * random());
    const expected = !file.value;
    perChange.push(await pool.measureChange(expected, () => file.write(expected), timeoutMs));
    file.value = expected;
  }
  const serverCpuMs = server === undefined ? undefined : (await server.cpuMs()) - cpuBefore;
  return summarise(label, pool.held, perChange, serverCpuMs);
}

/** Waits (bounded) until the server's stream gauge shows `count`: closes are seen asynchronously. */
async function awaitStreams(server, count) {
  const deadline = Date.now() + STREAM_COUNT_TIMEOUT_MS;
  while ((await server.openStreams()) !== count) {
    if (Date.now() > deadline)
      throw new Error(`The server holds ${await server.openStreams()} streams, expected ${count}`);
    await sleep(50);
  }
}

/**
 * With SYNC_BENCH_CPU_PROF_DIR set, each server process writes a V8 CPU profile there when it exits
 * (open it in Chrome DevTools or speedscope).
 */
const SERVER_NODE_ARGS =
  process.env.SYNC_BENCH_CPU_PROF_DIR === undefined
    ? []
    : ['--cpu-prof', '--cpu-prof-dir', process.env.SYNC_BENCH_CPU_PROF_DIR];

/** Runs `measure` against a fresh server process, which is stopped (SIGTERM) whatever happens. */
async function withServer(fixture, measure) {
  const server = await startServerProcess([fixture.genesisPath], { nodeArgs: SERVER_NODE_ARGS });
  let result;
  try {
    result = await measure(server);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { ...result, exitCode: await server.stop() };
}

function changesOn(server, file, random, label, changes) {
  return { label, changes, pauseMs: PAUSE_MS, timeoutMs: CHANGE_TIMEOUT_MS, file, random, server };
}

const measureFleets = (pool, fixture, random) =>
  withServer(fixture, async (server) => {
    const options = { port: server.syncPort, flagKey: FLIPPED_FLAG_KEY };
    const rows = [];
    for (const size of FLEET_SIZES) {
      await pool.add('grpc', options, size - pool.held);
      await awaitStreams(server, size);
      const row = await measureChanges(pool, changesOn(server, fixture.genesis, random, 'ours, raw gRPC', CHANGES));
      rows.push({ ...row, connections: await server.connections() });
    }
    await pool.disconnect();
    await awaitStreams(server, 0);
    await pool.add('flagd-in-process', options, OFFICIAL_SUBSCRIBERS);
    const official = await measureChanges(
      pool,
      changesOn(server, fixture.genesis, random, 'official provider, in-process, via our server', CHANGES),
    );
    rows.push({ ...official, connections: await server.connections() });
    await pool.disconnect();
    return { rows, clock: await pool.clockChecks() };
  });

/**
 * Server memory per stream: a fresh server, warmed up by 10 streams opened and closed (so code
 * compiled on the first connection is in the baseline), measured after a full GC before and after
 * 1,000 streams; then a few changes prove every stream is live.
 */
const measureHeldStreams = (pool, fixture, random) =>
  withServer(fixture, async (server) => {
    const options = { port: server.syncPort, flagKey: FLIPPED_FLAG_KEY };
    await pool.add('grpc', options, 10);
    await pool.disconnect();
    await awaitStreams(server, 0);
    await sleep(SETTLE_MS);
    const before = await memoryOf(server);
    await pool.add('grpc', options, HELD_STREAMS);
    await awaitStreams(server, HELD_STREAMS);
    await sleep(SETTLE_MS);
    const after = await memoryOf(server);
    const connections = await server.connections();
    const live = await measureChanges(pool, changesOn(server, fixture.genesis, random, 'ours, raw gRPC', HELD_CHANGES));
    const stillOpen = await server.openStreams();
    await pool.disconnect();
    return { before, after, streams: HELD_STREAMS, connections, stillOpen, live: { ...live, connections } };
  });

async function memoryOf(server) {
  const { heapUsed, external } = await server.memoryAfterGc();
  return { rss: await server.rssBytes(), heapUsed, external };
}

async function measureFileMode(pool, fixture, random) {
  await pool.add('flagd-file', { path: fixture.flagdPath, flagKey: FLIPPED_FLAG_KEY }, OFFICIAL_SUBSCRIBERS);
  const row = await measureChanges(pool, {
    label: 'official provider, file mode (reference)',
    changes: FILE_MODE_CHANGES,
    pauseMs: FILE_MODE_PAUSE_MS,
    timeoutMs: FILE_MODE_TIMEOUT_MS,
    file: fixture.flagd,
    random,
  });
  await pool.disconnect();
  return row;
}

async function main() {
  const startedAt = new Date();
  const loadAverage = loadavg()[0];
  const fixture = await createSyncFixture();
  const random = seededRandom(SEED);
  const pool = startSubscriberPool(SUBSCRIBER_PROCESSES);
  try {
    const fleets = await measureFleets(pool, fixture, random);
    const held = await measureHeldStreams(pool, fixture, random);
    const fileMode = await measureFileMode(pool, fixture, random);
    printReport({
      startedAt,
      loadAverage,
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      fixture,
      processes: SUBSCRIBER_PROCESSES,
      fleets,
      held,
      fileMode,
    });
  } finally {
    await pool.stop();
    await fixture.remove();
  }
}

await main();
