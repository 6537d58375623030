import type { Logger } from '@openfeature/core';
import { describeError } from '../errors/describe-error.js';
import type { ResultWithWarnings } from '../errors/result.js';
import type { Timers } from '../system/timers.js';
import type { WireFlags } from '../flagd/sync/sync-flag-state.js';
import type { FlagSource, SourceListener } from '../sources/flag-source.js';

/** Turns one source's text into the flags it serves, or the reason it cannot. */
export type LoadWireFlags = (text: string, origin: string) => ResultWithWarnings<WireFlags>;

/** Makes the source of one origin (for a file, its path); the runtime passes a file source, tests a fake. */
export type CreateSource = (origin: string, listener: SourceListener) => FlagSource;

export interface SourceSupervisorOptions {
  /** The source's name in logs, readiness reasons and `source=` selectors. */
  readonly origin: string;
  readonly load: LoadWireFlags;
  readonly createSource: CreateSource;
  /** Each good state, once loaded. */
  readonly onLoaded: (flags: WireFlags) => void;
  /** Each failure, once logged: content that does not load, or a source that cannot deliver. */
  readonly onFailed: (error: string) => void;
  /** The upstream was lost (true) or is live again (false); the last good state is served meanwhile. */
  readonly onStaleChange?: (stale: boolean) => void;
  readonly logger: Logger;
  readonly timers: Timers;
  /** First wait before retrying a source that could not start (a missing file); doubles up to 30 s. @default 1000 */
  readonly restartDelayMs?: number;
}

const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Keeps one source flowing into the server, as its `SourceListener`: loads each payload, hands good
 * states on, reports bad ones (the server keeps the last good state), and keeps trying to start a
 * source that cannot start yet and does not retry by itself (a file that is not there yet), so a
 * late-mounted volume or ConfigMap still gets served without a restart.
 */
export class SourceSupervisor implements SourceListener {
  readonly #options: SourceSupervisorOptions;
  readonly #source: FlagSource;
  #restartDelayMs: number;
  #cancelRestart: (() => void) | undefined;
  #stopped = false;
  #lastError: string | undefined;
  #lastErrorFromContent = false;
  #loaded = false;
  #staleError: string | undefined;

  constructor(options: SourceSupervisorOptions) {
    this.#options = options;
    this.#restartDelayMs = options.restartDelayMs ?? 1_000;
    this.#source = options.createSource(options.origin, this);
  }

  get origin(): string {
    return this.#options.origin;
  }

  /** Whether a good state has been applied at least once. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** Why the upstream is away while the last good state is served; undefined when live. */
  get staleError(): string | undefined {
    return this.#staleError;
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
      if (!this.#source.retriesAfterFailedStart) this.#scheduleRestart();
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelRestart?.();
    this.#cancelRestart = undefined;
    await this.#source.stop();
  }

  payload(text: string): void {
    const outcome = this.#options.load(text, this.#options.origin);
    if (!outcome.ok) {
      this.#fail(outcome.error, true);
      return;
    }
    for (const warning of outcome.warnings) this.#options.logger.warn(warning);
    this.#loaded = true;
    this.#lastError = undefined;
    this.#setStale(undefined);
    this.#options.onLoaded(outcome.value);
  }

  failed(error: Error): void {
    this.#fail(error.message, false);
  }

  /** The upstream is away: subscribers keep the last good flags, so only the log says so. */
  stale(error: Error): void {
    this.#options.logger.warn(`${this.#options.origin}: ${error.message} (serving the last good flags)`);
    this.#setStale(error.message);
  }

  /** The source is back with the content it had; a rejected content stays the latest failure. */
  recovered(): void {
    if (!this.#lastErrorFromContent) this.#lastError = undefined;
    if (this.#staleError !== undefined) this.#options.logger.info(`${this.#options.origin}: live again`);
    this.#setStale(undefined);
  }

  #setStale(error: string | undefined): void {
    const changed = (error === undefined) !== (this.#staleError === undefined);
    this.#staleError = error;
    if (changed) this.#options.onStaleChange?.(error !== undefined);
  }

  /** The server sends its own context (`--context-value`); an upstream's is not passed on. */
  syncContext(): void {}

  #fail(error: string, fromContent: boolean): void {
    this.#lastError = error;
    this.#lastErrorFromContent = fromContent;
    const consequence = this.#loaded ? 'serving the last good flags' : 'not serving it until it loads';
    this.#options.logger.error(`${this.#options.origin}: ${error} (${consequence})`);
    this.#options.onFailed(error);
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
