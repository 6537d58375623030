import { watch } from 'chokidar';

/** Receives every change among a directory's direct entries. */
export interface DirectoryListener {
  onEvent(path: string): void;
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
 */
export const watchDirectoryWithChokidar: WatchDirectory = async (directory, listener) => {
  const watcher = watch(directory, { depth: 0, ignoreInitial: true, persistent: true });
  watcher.on('all', (_event, path) => listener.onEvent(path));
  watcher.on('error', (error) => listener.onError(error instanceof Error ? error : new Error(String(error))));
  await new Promise<void>((resolve) => watcher.once('ready', resolve));
  return { close: () => watcher.close() };
};
