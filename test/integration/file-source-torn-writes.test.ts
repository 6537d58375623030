import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { RunningFlagServer } from '../../src/server/flag-server.js';
import { makeTempDir, ProviderHarness, removeDir } from './provider-harness.js';
import { startTestFlagServer } from './sync-flag-server.js';
import { createSyncClient, openSyncStream } from './sync-test-client.js';

/**
 * Issue 10, item 2: a flag file rewritten in place in 2–4 writes, with pauses between them longer than
 * the debounce (so reads land between the writes) and shorter than the settle time, while a provider
 * evaluates every flag and a server pushes to a subscriber. Every version has the same 40 flags; only
 * their default variant changes. Nothing may ever answer as if a flag were missing or broken.
 */
const FLAG_COUNT = 40;
const REWRITES = 10;

const keys = Array.from({ length: FLAG_COUNT }, (_, index) => `flag-${String(index).padStart(2, '0')}`);

function documentOf(version: number): object {
  const flags = Object.fromEntries(
    keys.map((key) => [
      key,
      {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: version % 2 === 0 ? 'on' : 'off',
        metadata: { version: `v${version}` },
      },
    ]),
  );
  return { flags };
}

function textOf(version: number, format: 'yaml' | 'json'): string {
  return format === 'yaml' ? stringify(documentOf(version)) : JSON.stringify(documentOf(version), null, 2);
}

/** A small seeded generator (mulberry32), so every run writes the same chunks with the same pauses. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Rewrites the file in place: truncate, then the text in 2–4 pieces with 20–120 ms pauses in between. */
async function rewriteInChunks(path: string, text: string, random: () => number): Promise<void> {
  const pieces = 2 + Math.floor(random() * 3);
  const cuts = Array.from({ length: pieces - 1 }, () => Math.floor(random() * text.length)).sort((a, b) => a - b);
  const bounds = [0, ...cuts, text.length];
  const handle = await open(path, 'w');
  try {
    for (let piece = 0; piece < pieces; piece++) {
      if (piece > 0) await sleep(20 + random() * 100);
      await handle.write(text.slice(bounds[piece], bounds[piece + 1]));
    }
  } finally {
    await handle.close();
  }
}

let dir: string;
let server: RunningFlagServer | undefined;

beforeAll(async () => {
  dir = await makeTempDir();
});

afterAll(async () => {
  await server?.close();
  await removeDir(dir);
});

describe.each(['yaml', 'json'] as const)('a %s flag file rewritten in place in chunks', (format) => {
  it('never makes the provider answer an error nor the server push a partial set', async () => {
    const file = join(dir, `flags.${format}`);
    await writeFile(file, textOf(0, format));
    const harness = new ProviderHarness({ path: file, debounceMs: 10 });
    await harness.start();
    server = await startTestFlagServer({ files: [file] });
    const client = createSyncClient(server.syncPort);
    const stream = openSyncStream(client);
    await stream.message(0);

    let writing = true;
    let rounds = 0;
    const failures: string[] = [];
    const evaluating = (async () => {
      while (writing) {
        for (const key of keys) {
          const details = await harness.client.getBooleanDetails(key, true);
          if (details.errorCode !== undefined) failures.push(`${key}: ${details.errorCode} ${details.errorMessage}`);
        }
        rounds++;
        await new Promise((next) => setImmediate(next));
      }
    })();
    const random = seededRandom(10);
    for (let version = 1; version <= REWRITES; version++) await rewriteInChunks(file, textOf(version, format), random);
    const finalValue = REWRITES % 2 === 0;
    while ((await harness.client.getBooleanValue(keys[0] ?? '', !finalValue)) !== finalValue) await sleep(5);
    const lastPushed = `v${REWRITES}`;
    while (!stream.messages.some((message) => message.flagConfiguration.includes(`"${lastPushed}"`))) await sleep(5);
    writing = false;
    await evaluating;

    const partialPushes = stream.messages
      .map((message) => Object.values((JSON.parse(message.flagConfiguration) as { flags: object }).flags))
      .filter((flags: { defaultVariant?: unknown }[]) => {
        const whole = flags.filter((flag) => flag.defaultVariant === 'on' || flag.defaultVariant === 'off');
        return whole.length !== FLAG_COUNT;
      })
      .map((flags) => `${flags.length} flags`);
    stream.cancel();
    client.close();
    await server.close();
    server = undefined;
    await harness.provider.onClose();

    expect(rounds).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    expect(partialPushes).toEqual([]);
  });
});
