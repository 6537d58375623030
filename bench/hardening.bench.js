// Reproduces the figures of issue 10 items 2, 3 and 4 in docs/RELIABILITY.md: YAML rewritten in place
// in chunks while a provider evaluates, 20,000 distinct selectors against the sync payload cache, and
// how fast a swapped flag directory is picked up. `--quick` runs fewer rounds, to check the bench itself.
import { mkdir, mkdtemp, open, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { OpenFeature } from '@openfeature/server-sdk';
import { stringify } from 'yaml';
import { GenesisProvider } from '../dist/index.js';
import { FileSource } from '../dist/flagd/sources/file-source.js';
import { SyncFlagState } from '../dist/flagd/sync/sync-flag-state.js';
import { silentLogger } from './harness/implementations.js';
import { seededRandom } from './harness/seeded-random.js';
import { median, percentile } from './harness/stats.js';
import { describeMachine } from './report/machine.js';

const QUICK = process.argv.includes('--quick');
const FLAG_COUNT = 40;
const KEYS = Array.from({ length: FLAG_COUNT }, (_, index) => `flag-${String(index).padStart(2, '0')}`);

function flagDocument(version) {
  const flags = Object.fromEntries(
    KEYS.map((key) => [
      key,
      { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: version % 2 === 0 ? 'on' : 'off' },
    ]),
  );
  return { flags, metadata: { version: `v${version}` } };
}

/** Truncate, then 2–4 pieces with 20–120 ms pauses: reads land between the pieces. */
async function rewriteInChunks(path, text, random) {
  const pieces = 2 + Math.floor(random() * 3);
  const cuts = Array.from({ length: pieces - 1 }, () => Math.floor(random() * text.length)).sort((a, b) => a - b);
  const bounds = [0, ...cuts, text.length];
  const handle = await open(path, 'w');
  for (let piece = 0; piece < pieces; piece++) {
    if (piece > 0) await sleep(20 + random() * 100);
    await handle.write(text.slice(bounds[piece], bounds[piece + 1]));
  }
  await handle.close();
}

/** Item 2: evaluation rounds of all 40 flags while the file is rewritten; rounds with any error. */
async function tornWrites(dir, format, rewrites) {
  const file = join(dir, `flags.${format}`);
  const text = (version) =>
    format === 'yaml' ? stringify(flagDocument(version)) : JSON.stringify(flagDocument(version), null, 2);
  await writeFile(file, text(0));
  const domain = `torn-${format}`;
  const provider = new GenesisProvider({ path: file, debounceMs: 10, environment: {}, logger: silentLogger });
  await OpenFeature.setProviderAndWait(domain, provider);
  const client = OpenFeature.getClient(domain);
  let writing = true;
  let rounds = 0;
  let failedRounds = 0;
  const evaluating = (async () => {
    while (writing) {
      let failed = false;
      for (const key of KEYS) failed = (await client.getBooleanDetails(key, true)).errorCode !== undefined || failed;
      rounds++;
      if (failed) failedRounds++;
      await new Promise((next) => setImmediate(next));
    }
  })();
  const random = seededRandom(10);
  for (let version = 1; version <= rewrites; version++) await rewriteInChunks(file, text(version), random);
  const last = rewrites % 2 === 0;
  while ((await client.getBooleanValue(KEYS[0], !last)) !== last) await sleep(5);
  writing = false;
  await evaluating;
  await provider.onClose();
  return { format, rewrites, rounds, failedRounds };
}

/** Item 3: bytes the sync payload cache holds after distinct invented selectors. */
function selectorCache(count) {
  const state = new SyncFlagState(['flags.json']);
  state.update('flags.json', flagDocument(0).flags);
  state.payload({ kind: 'all' });
  const before = state.cachedPayloadBytes;
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let index = 0; index < count; index++) {
    state.payload({ kind: 'flagSetId', flagSetId: `${index}-`.padEnd(4_086, 'x') });
  }
  globalThis.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  return {
    count,
    cacheBytesBefore: before,
    cacheBytesAfter: state.cachedPayloadBytes,
    heapDeltaMb: (heapAfter - heapBefore) / 1e6,
  };
}

/** Item 4: ms from a directory swap to the new payload, over `swaps` swaps of each kind. */
async function directorySwaps(dir, swaps) {
  const results = {};
  for (const kind of ['file rewrite (anchor)', 'ln -sfn', 'rename']) {
    const root = join(dir, kind.replace(/\W+/g, '-'));
    await mkdir(join(root, 'releases'), { recursive: true });
    const write = async (name, version) => {
      await mkdir(join(root, 'releases', name), { recursive: true });
      await writeFile(join(root, 'releases', name, 'flags.json'), JSON.stringify(flagDocument(version)));
    };
    await write('r0', 0);
    const live = join(root, 'live');
    if (kind !== 'ln -sfn') await rename(join(root, 'releases', 'r0'), live);
    else await symlink(join(root, 'releases', 'r0'), live);
    let waiting;
    const source = new FileSource(
      { path: join(live, 'flags.json'), debounceMs: 10 },
      { onPayload: (text) => waiting?.(text), onError: () => undefined },
    );
    await source.start();
    const latencies = [];
    for (let swap = 1; swap <= swaps; swap++) {
      await write(`r${swap}`, swap);
      const version = `"v${swap}"`;
      const seen = new Promise((resolve) => (waiting = (text) => text.includes(version) && resolve()));
      const start = performance.now();
      if (kind === 'file rewrite (anchor)') {
        // The anchor: the same change made to the file itself, in place, in the directory being watched.
        await writeFile(join(live, 'flags.json'), JSON.stringify(flagDocument(swap)));
      } else if (kind === 'rename') {
        await rename(live, join(root, `old-${swap}`));
        await rename(join(root, 'releases', `r${swap}`), live);
      } else {
        // What `ln -sfn` does in coreutils ≥ 9: a new link beside the old one, renamed over it.
        const next = join(root, `.live-${swap}`);
        await symlink(join(root, 'releases', `r${swap}`), next);
        await rename(next, live);
      }
      await seen;
      latencies.push(performance.now() - start);
      await sleep(50);
    }
    await source.stop();
    results[kind] = { swaps, p50: median(latencies), p99: percentile(latencies, 99), max: Math.max(...latencies) };
  }
  return results;
}

const dir = await mkdtemp(join(tmpdir(), 'genesis-flags-hardening-'));
try {
  const machine = describeMachine();
  console.log(
    `machine: ${machine.cores} cores, ${machine.cpu}, node ${machine.node}, ${machine.date}, load ${machine.loadAverage}`,
  );
  const rewrites = QUICK ? 6 : 40;
  for (const format of ['yaml', 'json']) {
    const torn = await tornWrites(dir, format, rewrites);
    console.log(
      `torn writes (${torn.format}): ${torn.rewrites} chunked rewrites, ${torn.rounds} evaluation rounds of ${FLAG_COUNT} flags, ${torn.failedRounds} with an error`,
    );
  }
  const cache = selectorCache(QUICK ? 2_000 : 20_000);
  console.log(
    `selectors: ${cache.count} distinct 4,096-character selectors; payload cache ${cache.cacheBytesBefore} bytes before, ${cache.cacheBytesAfter} after; heap ${cache.heapDeltaMb.toFixed(1)} MB more`,
  );
  const swaps = await directorySwaps(dir, QUICK ? 5 : 50);
  const anchor = swaps['file rewrite (anchor)'];
  for (const [kind, swap] of Object.entries(swaps)) {
    console.log(
      `directory swap (${kind}): ${swap.swaps} changes, p50 ${swap.p50.toFixed(1)} ms, p99 ${swap.p99.toFixed(1)} ms, max ${swap.max.toFixed(1)} ms; p99 ${(swap.p99 / anchor.p99).toFixed(2)}x the anchor's`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
