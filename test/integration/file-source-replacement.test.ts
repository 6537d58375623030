import { open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSource } from '../../src/flagd/sources/file-source.js';
import { makeTempDir, removeDir } from './provider-harness.js';
import { listenerWith } from '../fixtures/source-listener.js';

/** Longer than the debounce, far shorter than the settle time: the gap the settle time is for. */
const GAP_MS = 100;

let dir: string;
let file: string;
let source: FileSource | undefined;

beforeEach(async () => {
  dir = await makeTempDir();
  file = join(dir, 'flags.json');
  await writeFile(file, 'v1');
});

afterEach(async () => {
  await source?.stop();
  source = undefined;
  await removeDir(dir);
});

/** A watching source over the temp file, recording what it delivers and reports, and waiting for a payload. */
async function watchFile(): Promise<{ payloads: string[]; errors: Error[]; payload: (text: string) => Promise<void> }> {
  const payloads: string[] = [];
  const errors: Error[] = [];
  const waiters: (() => void)[] = [];
  source = new FileSource(
    { path: file, debounceMs: 10, settleMs: 10_000 },
    listenerWith({
      payload: (text) => {
        payloads.push(text);
        for (const wake of waiters.splice(0)) wake();
      },
      failed: (error) => void errors.push(error),
    }),
  );
  await source.start();
  const payload = async (text: string) => {
    while (!payloads.includes(text)) await new Promise<void>((wake) => waiters.push(wake));
  };
  return { payloads, errors, payload };
}

describe('FileSource over a file replaced in two steps', () => {
  it('delivers a file truncated, then written a moment later, without delivering it empty or reporting anything', async () => {
    const watched = await watchFile();
    // What `cat new.json > flags.json` does: the shell truncates, and the writer starts afterwards.
    const handle = await open(file, 'w');
    await sleep(GAP_MS);
    await handle.writeFile('v2');
    await handle.close();

    await watched.payload('v2');
    expect(watched.payloads).toEqual(['v1', 'v2']);
    expect(watched.errors).toEqual([]);
  });

  it('delivers a file removed, then created again a moment later, without reporting it missing', async () => {
    const watched = await watchFile();
    await rm(file);
    await sleep(GAP_MS);
    await writeFile(file, 'v2');

    await watched.payload('v2');
    expect(watched.payloads).toEqual(['v1', 'v2']);
    expect(watched.errors).toEqual([]);
  });
});
