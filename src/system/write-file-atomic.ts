import { randomBytes } from 'node:crypto';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isProcessAlive } from './process-alive.js';

const TEMP_SUFFIX = '.tmp';

/**
 * How old a temp file of a writer that is gone must be before it is removed. A write takes
 * milliseconds; the margin keeps the temp file of a live writer whose process id this process cannot
 * see (another container sharing the volume, another pid namespace).
 */
export const ORPHANED_TEMP_MIN_AGE_MS = 60_000;

/**
 * Replaces `path` with `text` so that a reader, or a crash at any instant, sees either the old
 * file or the new one, never a mix: the text goes to a temp file in the same directory (rename is
 * only atomic within one file system), is flushed to disk, and is renamed over the target; the
 * directory is then flushed so the rename itself survives a power loss. The target's mode is kept.
 * Temp files that killed writers of the same target left behind are removed first (see
 * `removeOrphanedTempFiles`), so they do not pile up beside it.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await removeOrphanedTempFiles(path);
  const temp = atomicTempPath(path, randomBytes(4).toString('hex'));
  const mode = await stat(path).then(
    (stats) => stats.mode & 0o777,
    () => 0o644,
  );
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (cause) {
    await unlink(temp).catch(() => undefined);
    throw cause;
  }
  await syncDirectory(dirname(path));
}

/**
 * The temp file a writer of `path` uses: hidden, beside it, and named by the writer's process id,
 * so that the temp files a killed writer left behind can be told apart (see `atomicTempWriter`).
 */
export function atomicTempPath(path: string, token: string, pid: number = process.pid): string {
  return join(dirname(path), `.${basename(path)}.${pid}.${token}${TEMP_SUFFIX}`);
}

/** The process id that wrote `name`, a file beside `path`; undefined when it is no temp file of `path`. */
export function atomicTempWriter(path: string, name: string): number | undefined {
  const prefix = `.${basename(path)}.`;
  if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) return undefined;
  return Number(name.slice(prefix.length).split('.')[0]);
}

/**
 * Removes the temp files killed writers of `path` left behind: only files named as ours for this
 * target, whose writer process is gone, and that are older than `ORPHANED_TEMP_MIN_AGE_MS`. Never
 * fails: what cannot be listed or removed is left for the next time.
 */
export async function removeOrphanedTempFiles(path: string, nowMs: number = Date.now()): Promise<void> {
  const directory = dirname(path);
  const names = await readdir(directory).catch(() => [] as string[]);
  for (const name of names) {
    const writer = atomicTempWriter(path, name);
    if (writer === undefined || isProcessAlive(writer)) continue;
    const temp = join(directory, name);
    const modifiedMs = await stat(temp).then(
      (stats) => stats.mtimeMs,
      () => nowMs,
    );
    if (nowMs - modifiedMs >= ORPHANED_TEMP_MIN_AGE_MS) await unlink(temp).catch(() => undefined);
  }
}

async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms and file systems cannot fsync a directory; the rename is still atomic there.
  }
}
