import type { Logger } from '@openfeature/core';
import type { Timers } from '../flagd/sources/timers.js';
import { SyncFlagState, type WireFlags } from '../flagd/sync/sync-flag-state.js';
import type { ServerMetrics } from './server-metrics.js';
import { SourceSupervisor, type CreateSource, type LoadWireFlags } from './source-supervisor.js';

export interface SyncRuntimeOptions {
  readonly files: readonly string[];
  readonly load: LoadWireFlags;
  readonly createSource: CreateSource;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  readonly timers: Timers;
  /** Told whenever readiness may have changed. */
  readonly onReadinessChange?: (ready: boolean) => void;
  /**
   * How long subscribers wait for every file before they get the files that did load (flagd waits 5 s).
   * @default 5000
   */
  readonly startupGraceMs?: number;
}

export interface Readiness {
  readonly ready: boolean;
  readonly reasons: readonly string[];
}

/**
 * Wires flag files to the sync state: one supervised source per file, each good state applied under
 * the file's name (the name `source=` selectors use), every failure counted.
 */
export class SyncRuntime {
  readonly state: SyncFlagState;
  readonly #options: SyncRuntimeOptions;
  readonly #supervisors: readonly SourceSupervisor[];
  #cancelGrace: (() => void) | undefined;

  constructor(options: SyncRuntimeOptions) {
    this.#options = options;
    this.state = new SyncFlagState(options.files);
    const sink = {
      applied: (path: string, flags: WireFlags) => this.#applied(path, flags),
      failed: (path: string) => options.metrics.reloadFailed(path),
    };
    this.#supervisors = options.files.map(
      (path) =>
        new SourceSupervisor({
          path,
          load: options.load,
          createSource: options.createSource,
          sink,
          logger: options.logger,
          timers: options.timers,
        }),
    );
  }

  /** Starts every source; resolves when each has had its first attempt, loaded or not. */
  async start(): Promise<void> {
    this.#cancelGrace = this.#options.timers.schedule(
      () => this.#endStartupGrace(),
      this.#options.startupGraceMs ?? 5_000,
    );
    await Promise.all(this.#supervisors.map((supervisor) => supervisor.start()));
  }

  async stop(): Promise<void> {
    this.#cancelGrace?.();
    await Promise.all(this.#supervisors.map((supervisor) => supervisor.stop()));
  }

  /** Ready once every source has loaded; the reasons name each source that has not, without its content. */
  readiness(): Readiness {
    const reasons = this.#supervisors
      .filter((supervisor) => !supervisor.loaded)
      .map((supervisor) => `${supervisor.path}: ${supervisor.publicError ?? 'not loaded yet'}`);
    return { ready: reasons.length === 0, reasons };
  }

  #endStartupGrace(): void {
    this.#cancelGrace = undefined;
    const { ready, reasons } = this.readiness();
    if (!ready) this.#options.logger.warn(`serving the files that loaded; still waiting for: ${reasons.join('; ')}`);
    this.state.allowPartial();
  }

  #applied(path: string, flags: WireFlags): void {
    this.state.update(path, flags);
    this.#options.metrics.sourceApplied(path, Object.keys(flags).length);
    this.#options.logger.info(`${path}: serving ${Object.keys(flags).length} flags`);
    this.#options.onReadinessChange?.(this.readiness().ready);
  }
}
