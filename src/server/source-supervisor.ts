import type { Logger } from '@openfeature/core';
import { describeError } from '../flagd/describe-error.js';
import type { FlagSource, SourceCallbacks } from '../flagd/sources/flag-source.js';
import type { Timers } from '../flagd/sources/timers.js';
import type { WireFlags } from '../flagd/sync/sync-flag-state.js';

/** Turns one source's text into the flags it serves, or the reason it cannot. */
export type LoadWireFlags = (
  text: string,
  origin: string,
) =>
  | { readonly ok: true; readonly value: WireFlags; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

/** Makes the watcher of one file; the runtime passes FileSource, tests may pass a fake. */
export type CreateSource = (path: string, callbacks: SourceCallbacks) => FlagSource;

/** Where a supervised source's good states and failures go. */
export interface SourceSink {
  applied(path: string, flags: WireFlags): void;
  failed(path: string, error: string): void;
}

export interface SourceSupervisorOptions {
  readonly path: string;
  readonly load: LoadWireFlags;
  readonly createSource: CreateSource;
  readonly sink: SourceSink;
  readonly logger: Logger;
  readonly timers: Timers;
  /** First wait before retrying a source that could not start (a missing file); doubles up to 30 s. @default 1000 */
  readonly restartDelayMs?: number;
}

const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Keeps one flag file flowing into the server: loads each payload, hands good states on, reports bad
 * ones (the sink keeps the last good state), and keeps trying to start a file that is not there yet,
 * so a late-mounted volume or ConfigMap still gets served without a restart.
 */
export class SourceSupervisor {
  readonly #options: SourceSupervisorOptions;
  readonly #source: FlagSource;
  #restartDelayMs: number;
  #cancelRestart: (() => void) | undefined;
  #stopped = false;
  #lastError: string | undefined;
  #lastErrorFromContent = false;
  #loaded = false;

  constructor(options: SourceSupervisorOptions) {
    this.#options = options;
    this.#restartDelayMs = options.restartDelayMs ?? 1_000;
    this.#source = options.createSource(options.path, {
      onPayload: (text) => this.#apply(text),
      onError: (error) => this.#fail(error.message, false),
    });
  }

  get path(): string {
    return this.#options.path;
  }

  /** Whether a good state has been applied at least once. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** The latest failure, cleared by the next good state. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /**
   * The latest failure as it may be shown to anyone who can reach the management port: a read failure
   * names only the file, but a rejected content's reason quotes flag keys and variant names, which
   * stay in the server log.
   */
  get publicError(): string | undefined {
    if (this.#lastError === undefined || !this.#lastErrorFromContent) return this.#lastError;
    return 'content rejected (the reason is in the server log)';
  }

  /** Resolves once the first attempt is over, successful or not; never rejects. */
  async start(): Promise<void> {
    this.#stopped = false;
    try {
      await this.#source.start();
    } catch (error) {
      if (this.#stopped) return;
      this.#fail(describeError(error), false);
      this.#scheduleRestart();
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelRestart?.();
    this.#cancelRestart = undefined;
    await this.#source.stop();
  }

  #apply(text: string): void {
    const outcome = this.#options.load(text, this.#options.path);
    if (!outcome.ok) {
      this.#fail(outcome.error, true);
      return;
    }
    for (const warning of outcome.warnings) this.#options.logger.warn(warning);
    this.#loaded = true;
    this.#lastError = undefined;
    this.#options.sink.applied(this.#options.path, outcome.value);
  }

  #fail(error: string, fromContent: boolean): void {
    this.#lastError = error;
    this.#lastErrorFromContent = fromContent;
    const consequence = this.#loaded ? 'serving the last good flags' : 'not serving it until it loads';
    this.#options.logger.error(`${this.#options.path}: ${error} (${consequence})`);
    this.#options.sink.failed(this.#options.path, error);
  }

  #scheduleRestart(): void {
    const delayMs = this.#restartDelayMs;
    this.#restartDelayMs = Math.min(delayMs * 2, MAX_RESTART_DELAY_MS);
    this.#cancelRestart = this.#options.timers.schedule(() => {
      this.#cancelRestart = undefined;
      if (!this.#stopped) void this.start();
    }, delayMs);
  }
}
