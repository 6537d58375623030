import type { Logger } from '@openfeature/core';
import type { Timers } from '../system/timers.js';
import { SyncFlagState, type WireFlags } from '../flagd/sync/sync-flag-state.js';
import type { ServerMetrics } from './server-metrics.js';
import { SourceSupervisor, type CreateSource, type LoadWireFlags } from './source-supervisor.js';

export interface SyncRuntimeOptions {
  /** The sources' names (a file's path), in the order `source=` selectors see them. */
  readonly origins: readonly string[];
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
  /** Sources whose upstream is away while their last good flags are served: ready, but not current. */
  readonly stale: readonly string[];
}

/**
 * Wires sources to the sync state: one supervised source per origin (a flag file), each good state
 * applied under the origin's name (the name `source=` selectors use), every failure counted.
 */
export class SyncRuntime {
  readonly state: SyncFlagState;
  readonly #options: SyncRuntimeOptions;
  readonly #supervisors: readonly SourceSupervisor[];
  #cancelGrace: (() => void) | undefined;

  constructor(options: SyncRuntimeOptions) {
    this.#options = options;
    this.state = new SyncFlagState(options.origins);
    this.#supervisors = options.origins.map(
      (origin) =>
        new SourceSupervisor({
          origin,
          load: options.load,
          createSource: options.createSource,
          onLoaded: (flags) => this.#applied(origin, flags),
          onFailed: () => options.metrics.reloadFailed(origin),
          onStaleChange: (stale) => options.metrics.sourceStale(origin, stale),
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
      .map((supervisor) => `${supervisor.origin}: ${supervisor.publicError ?? 'not loaded yet'}`);
    const stale = this.#supervisors
      .filter((supervisor) => supervisor.staleError !== undefined)
      .map((supervisor) => `${supervisor.origin}: ${supervisor.staleError} (serving the last good flags)`);
    return { ready: reasons.length === 0, reasons, stale };
  }

  #endStartupGrace(): void {
    this.#cancelGrace = undefined;
    const { ready, reasons } = this.readiness();
    if (!ready) this.#options.logger.warn(`serving the files that loaded; still waiting for: ${reasons.join('; ')}`);
    this.state.allowPartial();
  }

  #applied(origin: string, flags: WireFlags): void {
    this.state.update(origin, flags);
    this.#options.metrics.sourceApplied(origin, Object.keys(flags).length);
    this.#options.logger.info(`${origin}: serving ${Object.keys(flags).length} flags`);
    this.#options.onReadinessChange?.(this.readiness().ready);
  }
}
