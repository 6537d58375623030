import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMP_SUFFIX = '.tmp';

/**
 * Replaces `path` with `text` so that a reader, or a crash at any instant, sees either the old
 * file or the new one, never a mix: the text goes to a temp file in the same directory (rename is
 * only atomic within one file system), is flushed to disk, and is renamed over the target; the
 * directory is then flushed so the rename itself survives a power loss. The target's mode is kept.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
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
