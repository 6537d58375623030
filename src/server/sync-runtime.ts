import type { Logger } from '@openfeature/core';
import type { FlagEntry, NormalizedFlagSet } from '../flagd/model.js';
import { flagdDefinitionOf } from '../flagd/parse/to-flagd-document.js';
import type { Timers } from '../system/timers.js';
import { SyncFlagState, type WireFlag, type WireFlags } from '../flagd/sync/sync-flag-state.js';
import { FlagLoader, type LoadedLayer } from '../loading/flag-loader.js';
import type { ResultWithWarnings } from '../errors/result.js';
import type { ServerMetrics } from './server-metrics.js';
import { SourceSupervisor, type CreateSource } from './source-supervisor.js';

export interface SyncRuntimeOptions {
  /** The sources' names (a file's path), in the order `source=` selectors see them. */
  readonly origins: readonly string[];
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
 * Wires sources to the sync state: one supervised source per origin (a flag file), each payload loaded
 * by one `FlagLoader` over all the origins (a Genesis flag's parent may be in any of them), each good
 * state applied under the origin's name (the name `source=` selectors use), every failure counted.
 *
 * Environment overrides are not applied: variables named after flags belong to each instance, not to
 * the server. A flag unchanged by a reload keeps its entry, and so its wire object, so every selection
 * store downstream keeps its compiled flag without fingerprinting it.
 */
export class SyncRuntime {
  readonly state: SyncFlagState;
  readonly #options: SyncRuntimeOptions;
  readonly #supervisors: readonly SourceSupervisor[];
  readonly #loader: FlagLoader;
  readonly #wireFlags = new WeakMap<FlagEntry, WireFlag>();
  readonly #appliedGenerations = new Map<string, number>();
  /** Other files whose flags the last load changed (children of a parent in it), applied after it. */
  #othersChanged: readonly LoadedLayer[] = [];
  #cancelGrace: (() => void) | undefined;

  constructor(options: SyncRuntimeOptions) {
    this.#options = options;
    this.state = new SyncFlagState(options.origins);
    this.#loader = new FlagLoader(options.origins, { strict: false });
    this.#supervisors = options.origins.map(
      (origin) =>
        new SourceSupervisor({
          origin,
          load: (text, loaded) => this.#load(text, loaded),
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

  /** The state generation at which `origin`'s current flags were applied; 0 before they first were. */
  appliedGeneration(origin: string): number {
    return this.#appliedGenerations.get(origin) ?? 0;
  }

  #endStartupGrace(): void {
    this.#cancelGrace = undefined;
    const { ready, reasons } = this.readiness();
    if (!ready) this.#options.logger.warn(`serving the files that loaded; still waiting for: ${reasons.join('; ')}`);
    this.state.allowPartial();
  }

  #load(text: string, origin: string): ResultWithWarnings<WireFlags> {
    const loaded = this.#loader.load(origin, { text });
    if (!loaded.ok) return loaded;
    this.#othersChanged = loaded.value.others;
    return { ok: true, value: this.#wireFlagsOf(loaded.value.layer.set), warnings: loaded.warnings };
  }

  /** A flag as flagd JSON, made once per entry. */
  #wireFlagsOf(set: NormalizedFlagSet): WireFlags {
    // Object.fromEntries defines properties, so a `__proto__` flag key stays a plain key.
    return Object.fromEntries(
      [...set.flags].map(([key, entry]) => {
        let wire = this.#wireFlags.get(entry);
        if (wire === undefined) {
          wire = flagdDefinitionOf(entry.definition);
          this.#wireFlags.set(entry, wire);
        }
        return [key, wire];
      }),
    );
  }

  /** The file's flags, and those of the files whose children it changed, served in one update. */
  #applied(origin: string, flags: WireFlags): void {
    const updates = new Map([[origin, flags]]);
    for (const other of this.#othersChanged) updates.set(other.origin, this.#wireFlagsOf(other.set));
    this.#othersChanged = [];
    this.state.updateAll(updates);
    for (const [source, served] of updates) {
      this.#appliedGenerations.set(source, this.state.generation);
      this.#options.metrics.sourceApplied(source, Object.keys(served).length);
      this.#options.logger.info(`${source}: serving ${Object.keys(served).length} flags`);
    }
    this.#options.onReadinessChange?.(this.readiness().ready);
  }
}
