import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { watchDirectoryWithChokidar, type DirectoryWatch, type WatchDirectory } from './directory-watcher.js';
import type { FlagSource, SourceCallbacks } from './flag-source.js';
import { describeReadFailure } from './read-failure.js';
import { systemTimers, type Timers } from './timers.js';

/** The one file-system call a file source makes, injectable for tests. */
export interface FileReader {
  readFile(path: string): Promise<string>;
}

export interface FileSourceOptions {
  /** The file to read, as the user wrote it; errors name it this way. */
  readonly path: string;
  /** Quiet period after the last change before the file is re-read. */
  readonly debounceMs: number;
  /**
   * How long a file found missing or empty after a change must stay so before that is reported.
   * @default 250
   */
  readonly settleMs?: number;
  readonly fileReader?: FileReader;
  readonly watchDirectory?: WatchDirectory;
  readonly timers?: Timers;
}

const nodeFileReader: FileReader = { readFile: (path) => readFile(path, 'utf8') };

/**
 * Longer than the gaps seen inside one non-atomic replacement on a busy machine (a shell's `> file`
 * truncates, then starts the writer; a script removes, then copies), and a deleted file is still
 * reported within a fraction of a second.
 */
const DEFAULT_SETTLE_MS = 250;

/**
 * Reads one flag file and re-reads it when it changes.
 *
 * The file's directory is watched rather than the file, because the file's identity does not survive
 * the common ways of replacing it:
 * - editors' atomic saves write a temporary file and rename it over the original (new inode);
 * - some tools remove the file and create it again (a watch on the old inode sees only the removal);
 * - Kubernetes ConfigMaps mount `flags.json -> ..data/flags.json` with `..data -> ..2024_01_01_xx.123`;
 *   an update writes a new timestamped directory and renames a new `..data` symlink over the old one,
 *   so neither `flags.json` nor its directory entry changes: only `..`-prefixed entries do.
 * Any event for the file or for a `..`-prefixed entry therefore triggers a re-read. Re-reads are
 * debounced (a burst of events gives one read) and de-duplicated by content hash, so a touch, a rename
 * of identical content or an unrelated `..` entry delivers nothing. A failure is reported once until
 * the outcome changes; a file that disappears and comes back with the same content is delivered again.
 *
 * Replacing a file without a rename passes through a missing file (remove, then create) or an empty
 * one (truncate, then write), and the gap between the two steps can outlast any short debounce: a
 * shell's `cat new.json > flags.json` truncates before `cat` has even started. So a file found missing
 * or empty after a change is looked at again after `settleMs` (sooner if another event comes), and
 * reported only if it is still so, instead of failing a reload that the next moment would fix.
 */
export class FileSource implements FlagSource {
  readonly #options: FileSourceOptions;
  readonly #callbacks: SourceCallbacks;
  readonly #absolutePath: string;
  readonly #reader: FileReader;
  readonly #timers: Timers;
  readonly #settleMs: number;
  #lastOutcome: string | undefined;
  #cancelPending: (() => void) | undefined;
  #watch: DirectoryWatch | undefined;
  #reading: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: FileSourceOptions, callbacks: SourceCallbacks) {
    this.#options = options;
    this.#callbacks = callbacks;
    this.#absolutePath = resolve(options.path);
    this.#reader = options.fileReader ?? nodeFileReader;
    this.#timers = options.timers ?? systemTimers;
    this.#settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  }

  /** Reads the file (rejecting with `File not found: <path>` when it is missing), then starts watching. */
  async start(): Promise<void> {
    this.#stopped = false;
    const text = await this.#readNamed();
    this.#lastOutcome = outcomeOfText(text);
    this.#deliver(text);
    const watchDirectory = this.#options.watchDirectory ?? watchDirectoryWithChokidar;
    const watch = await watchDirectory(dirname(this.#absolutePath), {
      onEvent: (path) => this.#onDirectoryEvent(path),
      onError: (error) =>
        this.#report(new Error(`Watching ${this.#options.path} failed: ${error.message}`, { cause: error })),
    });
    if (this.#stopped) {
      await watch.close();
      return;
    }
    this.#watch = watch;
    // The file may have changed between the first read and the watch becoming live.
    this.#scheduleReload();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelPending?.();
    this.#cancelPending = undefined;
    const watch = this.#watch;
    this.#watch = undefined;
    await watch?.close();
    await this.#reading;
  }

  /** An event naming no entry may be ours; it costs one read at most, as unchanged content is dropped. */
  #onDirectoryEvent(path: string | undefined): void {
    if (path === undefined || path === this.#absolutePath || basename(path).startsWith('..')) this.#scheduleReload();
  }

  /** `settling`: this read looks again at a file found missing or empty, and reports what it finds. */
  #scheduleReload(delayMs = this.#options.debounceMs, settling = false): void {
    if (this.#stopped) return;
    this.#cancelPending?.();
    this.#cancelPending = this.#timers.schedule(() => {
      this.#cancelPending = undefined;
      // Reads are chained so that two reloads never deliver out of order.
      this.#reading = this.#reading.then(() => this.#reload(settling));
    }, delayMs);
  }

  /** Never rejects: every failure becomes an `onError` call. */
  async #reload(settling: boolean): Promise<void> {
    if (this.#stopped) return;
    let text: string;
    try {
      text = await this.#readNamed();
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (!this.#waitsToSettle(settling, isNotFound(failure))) this.#reportOnce(failure);
      return;
    }
    if (this.#waitsToSettle(settling, text === '')) return;
    const outcome = outcomeOfText(text);
    if (this.#stopped || outcome === this.#lastOutcome) return;
    this.#lastOutcome = outcome;
    this.#deliver(text);
  }

  /** Whether a missing or empty file, seen for the first time since a change, is left to settle first. */
  #waitsToSettle(settling: boolean, halfReplaced: boolean): boolean {
    if (settling || !halfReplaced || this.#stopped) return false;
    // An event during the read has already scheduled a sooner look.
    if (this.#cancelPending === undefined) this.#scheduleReload(this.#settleMs, true);
    return true;
  }

  async #readNamed(): Promise<string> {
    try {
      return await this.#reader.readFile(this.#absolutePath);
    } catch (error) {
      throw describeReadFailure(this.#options.path, error);
    }
  }

  #deliver(text: string): void {
    try {
      this.#callbacks.onPayload(text);
    } catch (error) {
      this.#report(new Error(`Handling ${this.#options.path} failed`, { cause: error }));
    }
  }

  #reportOnce(error: Error): void {
    const outcome = `error:${error.message}`;
    if (outcome === this.#lastOutcome) return;
    this.#lastOutcome = outcome;
    this.#report(error);
  }

  #report(error: Error): void {
    try {
      this.#callbacks.onError(error);
    } catch {
      // The error callback is the last place to report to; a failure inside it has nowhere to go.
    }
  }
}

function isNotFound(error: Error): boolean {
  return (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function outcomeOfText(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
