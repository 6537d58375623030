import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { FlagdProvider } from '@openfeature/flagd-provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { GenesisProvider } from '../../dist/index.js';
import { createReloadDocument, RELOAD_FLAG_KEY } from '../fixtures/flag-documents.js';
import { silentLogger } from '../harness/implementations.js';
import { seededRandom } from '../harness/seeded-random.js';
import { median, percentile } from '../harness/stats.js';
import { createTempFlagFile } from '../harness/temp-flag-file.js';

/** Flags in the reloaded file besides the flipped one: a large file (~180 kB) and a small one. */
const RELOAD_SET_SIZE = 1000;
const SMALL_SET_SIZE = 5;
/** flagd-provider's file mode polls with `fs.watchFile` at Node's default interval. */
const FLAGD_POLL_MS = 5007;
const GIVE_UP_MS = 30_000;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Milliseconds from the start of writing the file to the first `client.getBooleanValue` that
 * returns the new value. The file is rewritten in place (as `echo > file` or most deploy tools
 * do), flipping one flag among `setSize + 1`. Before each write the bench pauses a random
 * (seeded) time, so that writes land at random points of a polling or debouncing cycle.
 */
async function measureReloads(client, path, { setSize, reloads, pauseMs, poll, random }) {
  const latencies = [];
  const texts = [false, true].map((enabled) => JSON.stringify(createReloadDocument(setSize, enabled)));
  for (let reload = 1; reload <= reloads; reload++) {
    const expected = reload % 2 === 1;
    await sleep(pauseMs * random());
    const start = performance.now();
    await writeFile(path, texts[Number(expected)]);
    while ((await client.getBooleanValue(RELOAD_FLAG_KEY, !expected)) !== expected) {
      if (performance.now() - start > GIVE_UP_MS) throw new Error(`No reload seen within ${GIVE_UP_MS} ms: ${path}`);
      await poll();
    }
    latencies.push(performance.now() - start);
  }
  return { reloads, p50: median(latencies), p99: percentile(latencies, 99), max: Math.max(...latencies) };
}

async function measureProvider(domain, createProvider, measureOptions) {
  const file = await createTempFlagFile(createReloadDocument(measureOptions.setSize, false));
  try {
    await OpenFeature.setProviderAndWait(domain, createProvider(file.path));
    return await measureReloads(OpenFeature.getClient(domain), file.path, measureOptions);
  } finally {
    await OpenFeature.close();
    await file.remove();
  }
}

/**
 * File-change-to-new-value latency: ours (directory watch, 20 ms debounce by default) polled every
 * event-loop turn, the official flagd provider in file mode (`fs.watchFile`, ~5 s) polled every ms.
 */
export async function runReloadLatency({ genesisReloads, flagdReloads, seed }) {
  const random = seededRandom(seed);
  const createGenesis = (path) => new GenesisProvider({ path, envOverrides: false, logger: silentLogger });
  const genesisOptions = { reloads: genesisReloads, pauseMs: 100, poll: nextTurn, random };
  const genesisSmall = await measureProvider('reload-genesis', createGenesis, {
    ...genesisOptions,
    setSize: SMALL_SET_SIZE,
  });
  const genesis = await measureProvider('reload-genesis', createGenesis, {
    ...genesisOptions,
    setSize: RELOAD_SET_SIZE,
  });
  const flagd =
    flagdReloads === 0
      ? undefined
      : await measureProvider(
          'reload-flagd',
          (path) => new FlagdProvider({ resolverType: 'in-process', offlineFlagSourcePath: path }, silentLogger),
          { setSize: RELOAD_SET_SIZE, reloads: flagdReloads, pauseMs: FLAGD_POLL_MS, poll: () => sleep(1), random },
        );
  return { genesisSmall, genesis, flagd, smallSetSize: SMALL_SET_SIZE, setSize: RELOAD_SET_SIZE };
}
