import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { isYamlOrigin } from '../../document/parse-document-text.js';
import { watchDirectoryWithChokidar, type DirectoryWatch, type WatchDirectory } from './directory-watcher.js';
import type { FlagSource, SourceListener } from '../../sources/flag-source.js';
import { followDirectorySwaps } from './follow-directory-swaps.js';
import { describeReadFailure } from './read-failure.js';
import { systemTimers, type Timers } from '../../system/timers.js';

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
   * How long a file found missing or empty after a change must stay so before that is reported, and
   * how long a changed YAML file must stay unchanged before it is delivered.
   * @default 250
   */
  readonly settleMs?: number;
  readonly fileReader?: FileReader;
  readonly watchDirectory?: WatchDirectory;
  readonly timers?: Timers;
}

const nodeFileReader: FileReader = { readFile: (path) => readFile(path, 'utf8') };

/** The default watch: chokidar on the file's directory, reopened when the directory itself is swapped. */
const watchFollowingSwaps = followDirectorySwaps(watchDirectoryWithChokidar);

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
 *
 * A file rewritten in place in several writes passes through every prefix of its new text. A prefix
 * of a JSON document is never a JSON document (the closing brace comes last), so a torn JSON read
 * fails to parse and the last good flags stay. A prefix of a YAML document cut at a line end is a
 * valid YAML document with flags missing, and cut inside a line it may still be one with a value cut
 * short: no check on the text can tell it from an edit. The only sign that the writer is done is
 * that the file stops changing, so a changed YAML file is delivered only once it has read the same
 * twice `settleMs` apart with no event in between (any event starts the wait again). This costs YAML
 * reloads `settleMs` of latency and nothing for JSON, whose fast path (the reload figures in
 * docs/BENCHMARKS.md) is unchanged. The content is compared rather than size and mtime: equal content
 * is what matters, and it needs no second kind of file-system call.
 */
export class FileSource implements FlagSource {
  /** A missing file is a failed start; whoever started it decides when to look again. */
  readonly retriesAfterFailedStart = false;
  readonly #options: FileSourceOptions;
  readonly #listener: SourceListener;
  readonly #absolutePath: string;
  readonly #reader: FileReader;
  readonly #timers: Timers;
  readonly #settleMs: number;
  /** Whether a changed text must be seen unchanged after `settleMs` before it is delivered (YAML). */
  readonly #confirmsQuiet: boolean;
  /** The changed text waiting for that confirmation. */
  #candidateOutcome: string | undefined;
  #lastOutcome: string | undefined;
  #cancelPending: (() => void) | undefined;
  #watch: DirectoryWatch | undefined;
  #reading: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: FileSourceOptions, listener: SourceListener) {
    this.#options = options;
    this.#listener = listener;
    this.#absolutePath = resolve(options.path);
    this.#reader = options.fileReader ?? nodeFileReader;
    this.#timers = options.timers ?? systemTimers;
    this.#settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.#confirmsQuiet = isYamlOrigin(options.path);
  }

  /** Reads the file (rejecting with `File not found: <path>` when it is missing), then starts watching. */
  async start(): Promise<void> {
    this.#stopped = false;
    const text = await this.#readNamed();
    this.#lastOutcome = outcomeOfText(text);
    this.#deliver(text);
    const watchDirectory = this.#options.watchDirectory ?? watchFollowingSwaps;
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

  /**
   * `settling`: this read looks again, `settleMs` after the last, at a file found missing or empty
   * (and reports what it finds) or at a changed YAML text (and delivers it if it is the same).
   */
  #scheduleReload(delayMs = this.#options.debounceMs, settling = false): void {
    if (this.#stopped) return;
    this.#cancelPending?.();
    this.#cancelPending = this.#timers.schedule(() => {
      this.#cancelPending = undefined;
      // Reads are chained so that two reloads never deliver out of order.
      this.#reading = this.#reading.then(() => this.#reload(settling));
    }, delayMs);
  }

  /** Never rejects: every failure becomes a `failed` call. */
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
    if (this.#stopped || outcome === this.#lastOutcome) {
      this.#candidateOutcome = undefined;
      return;
    }
    if (this.#waitsForQuiet(settling, outcome)) return;
    this.#candidateOutcome = undefined;
    this.#lastOutcome = outcome;
    this.#deliver(text);
  }

  /** Whether a changed YAML text is held until a read `settleMs` later finds it the same. */
  #waitsForQuiet(settling: boolean, outcome: string): boolean {
    if (!this.#confirmsQuiet || (settling && outcome === this.#candidateOutcome)) return false;
    this.#candidateOutcome = outcome;
    // An event during the read has already scheduled a sooner read, which starts the wait again.
    if (this.#cancelPending === undefined) this.#scheduleReload(this.#settleMs, true);
    return true;
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
      this.#listener.payload(text, false);
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
      this.#listener.failed(error);
    } catch {
      // `failed` is the last place to report to; a failure inside it has nowhere to go.
    }
  }
}

function isNotFound(error: Error): boolean {
  return (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function outcomeOfText(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
