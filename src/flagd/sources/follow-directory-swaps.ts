import { dirname } from 'node:path';
import type { DirectoryListener, DirectoryWatch, WatchDirectory } from './directory-watcher.js';

/**
 * Makes a directory watch survive the directory itself being replaced.
 *
 * A watch holds on to the directory it was opened on (an inode, or the target of a symlink), not to
 * its path. Two common deployments replace the directory rather than the files in it:
 * - a release symlink switched with `ln -sfn releases/v2 current` (`current/flags.yaml` now names a
 *   file in another directory, while the watch still sits on `releases/v1`);
 * - the directory renamed away and a new one renamed or created in its place (the watch follows the
 *   old directory to its new name).
 * Either way the watched directory never changes again and the flags would stay stale forever. Both
 * show up as an event for the directory's own entry in its parent, so the parent is watched too, and
 * on such an event the watch is opened afresh on the path and the listener is told with an event
 * naming no entry, which makes the reader look at its file again (so nothing is missed between the two
 * watches). The old watch is closed before the new one opens: chokidar shares one `fs.watch` handle
 * per path between its watchers, and a new watcher opened while the old one lives would be handed the
 * old handle, still on the old directory.
 */
export function followDirectorySwaps(watchDirectory: WatchDirectory): WatchDirectory {
  return async (directory, listener) => {
    const parent = dirname(directory);
    const inner = await watchDirectory(directory, listener);
    if (parent === directory) return inner;
    const follower = new SwapFollower(watchDirectory, directory, listener, inner);
    try {
      await follower.watchParent(parent);
    } catch (error) {
      await inner.close();
      throw error;
    }
    return follower;
  };
}

class SwapFollower implements DirectoryWatch {
  readonly #watchDirectory: WatchDirectory;
  readonly #directory: string;
  readonly #listener: DirectoryListener;
  #inner: DirectoryWatch;
  #parentWatch: DirectoryWatch | undefined;
  #reopening: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(watchDirectory: WatchDirectory, directory: string, listener: DirectoryListener, inner: DirectoryWatch) {
    this.#watchDirectory = watchDirectory;
    this.#directory = directory;
    this.#listener = listener;
    this.#inner = inner;
  }

  async watchParent(parent: string): Promise<void> {
    this.#parentWatch = await this.#watchDirectory(parent, {
      onEvent: (path) => {
        if (path === undefined || path === this.#directory)
          this.#reopening = this.#reopening.then(() => this.#reopen());
      },
      onError: (error) => this.#listener.onError(error),
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#reopening;
    await Promise.all([this.#inner.close(), this.#parentWatch?.close()]);
  }

  /** Never rejects: a failure goes to the listener. */
  async #reopen(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#inner.close();
      this.#inner = await this.#watchDirectory(this.#directory, this.#listener);
    } catch (error) {
      this.#listener.onError(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.#listener.onEvent(undefined);
  }
}
