import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A flag file in its own temporary directory; `remove()` deletes the directory. */
export async function createTempFlagFile(document) {
  const directory = await mkdtemp(join(tmpdir(), 'genesis-bench-'));
  const path = join(directory, 'flags.flagd.json');
  await writeFile(path, JSON.stringify(document));
  return { path, remove: () => rm(directory, { recursive: true, force: true }) };
}
