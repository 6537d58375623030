import { basename, join } from 'node:path';
import { watch } from 'chokidar';

/** Receives every change among a directory's direct entries. */
export interface DirectoryListener {
  /** `path` is the absolute path of the entry, or undefined when the platform did not say which. */
  onEvent(path: string | undefined): void;
  onError(error: Error): void;
}

/** A running watch; `close` resolves once the underlying watchers are released. */
export interface DirectoryWatch {
  close(): Promise<void>;
}

/** Starts watching a directory (its direct entries only) and resolves once the watch is live. */
export type WatchDirectory = (directory: string, listener: DirectoryListener) => Promise<DirectoryWatch>;

/**
 * The chokidar implementation. Symlinks are followed (chokidar's default), so a file that is itself a
 * symlink reports a `change` when its target is replaced behind it, as in a Kubernetes ConfigMap.
 *
 * chokidar drops a `change` that comes within 50 ms of the previous one for the same path (its throttle
 * has no trailing edge), so a second save shortly after a first would be lost. The underlying
 * `fs.watch` events (`raw`) are therefore passed on too; the caller debounces and de-duplicates.
 */
export const watchDirectoryWithChokidar: WatchDirectory = async (directory, listener) => {
  const watcher = watch(directory, { depth: 0, ignoreInitial: true, persistent: true });
  watcher.on('all', (_event, path) => listener.onEvent(path));
  watcher.on('raw', (_event, entry, details) => listener.onEvent(rawEventPath(entry, details)));
  watcher.on('error', (error) => listener.onError(error instanceof Error ? error : new Error(String(error))));
  await new Promise<void>((resolve) => watcher.once('ready', resolve));
  return { close: () => watcher.close() };
};

/** `fs.watch` names the entry relative to the watched path, or by its own name when a file is watched. */
function rawEventPath(entry: unknown, details: unknown): string | undefined {
  const watchedPath = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
  if (typeof entry !== 'string' || entry === '' || typeof watchedPath !== 'string') return undefined;
  return basename(watchedPath) === entry ? watchedPath : join(watchedPath, entry);
}
