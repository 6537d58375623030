import { readdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { atomicTempWriter } from '../flagd/sources/write-file-atomic.js';
import { isProcessAlive } from './process-alive.js';

/** Removes the temp files that killed writers of `path` left behind (their process is gone). */
export async function removeOrphanedTempFiles(path: string): Promise<void> {
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    const writer = atomicTempWriter(path, name);
    if (writer !== undefined && !isProcessAlive(writer)) await unlink(join(dirname(path), name)).catch(() => undefined);
  }
}
