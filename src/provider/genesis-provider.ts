import {
  ErrorCode,
  OpenFeatureEventEmitter,
  ProviderFatalError,
  ProviderEvents,
  type EvaluationContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/server-sdk';
import { FlagStore } from '../flagd/flag-store.js';
import type { EvaluationEnv, FlagType, FlagValue, NormalizedFlagSet } from '../flagd/model.js';
import { FatalSyncError } from '../flagd/sources/fatal-sync-error.js';
import { GrpcSyncSource } from '../flagd/sources/grpc-sync-source.js';
import { describeAppliedOverrides } from '../loading/env-overrides.js';
import { FlagLoader } from '../loading/flag-loader.js';
import { LayeredFileSource } from '../loading/layered-file-source.js';
import type { FlagSource, SourceListener } from '../sources/flag-source.js';
import { markFromCache } from './cache-metadata.js';
import { planFileSources, type CreateFileSource } from './file-source-plan.js';
import { resolveProviderConfig, type GenesisProviderOptions, type ResolvedProviderConfig } from './provider-options.js';
import { FlagTelemetry } from '../telemetry/flag-telemetry.js';
import { TrackedEventAttribution } from '../telemetry/tracked-event-attribution.js';
import { SourceHealth } from './source-health.js';
import type { SourcePlan } from './source-plan.js';
import { planSyncSource, type CreateSyncSource } from './sync-source-plan.js';

export type { CreateFileSource } from './file-source-plan.js';
export type { CreateSyncSource } from './sync-source-plan.js';

export interface GenesisProviderDependencies {
  /** @default a watching `FileSource` */
  readonly createFileSource?: CreateFileSource;
  /** @default a `GrpcSyncSource` */
  readonly createSyncSource?: CreateSyncSource;
}

/** The origin name of the inline `flags` option in messages. */
export const INLINE_FLAGS_ORIGIN = 'flags option';

/** `waiting`: initialisation failed, but the sources keep trying and the first payload makes the provider ready. */
type Phase = 'idle' | 'starting' | 'running' | 'waiting' | 'closed';
type SyncContext = Readonly<Record<string, JsonValue>>;

/** Each flag file with its rollout layer on top, so a rollout's stages reach the provider. */
const createWatchingFileSource: CreateFileSource = (path, debounceMs, callbacks) =>
  new LayeredFileSource({ path, debounceMs }, callbacks);
const createGrpcSyncSource: CreateSyncSource = (options, callbacks) => new GrpcSyncSource(options, callbacks);

/**
 * The OpenFeature provider over flag files or a flag sync server. A thin adapter: it owns the lifecycle
 * (sources started in `initialize`, stopped in `onClose`) and the events, takes its sources from a plan
 * per mode, and delegates loading to `FlagLoader` and every evaluation to `FlagStore`.
 */
export class GenesisProvider implements Provider {
  readonly metadata = { name: 'genesis-flags' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  readonly #config: ResolvedProviderConfig;
  readonly #plan: SourcePlan;
  readonly #store = new FlagStore();
  readonly #env: EvaluationEnv;
  readonly #loader: FlagLoader;
  readonly #health = new SourceHealth();
  /** Origins whose current layer is a cached payload rather than a live one. */
  readonly #cachedOrigins = new Set<string>();
  /** The applied environment overrides already logged, so that each is logged once. */
  readonly #loggedOverrides = new Set<string>();
  readonly #telemetry = new FlagTelemetry(this.metadata.name);
  readonly #attribution = new TrackedEventAttribution(this.#telemetry);
  #syncContext: SyncContext | undefined;
  #sources: FlagSource[] = [];
  #phase: Phase = 'idle';

  constructor(options: GenesisProviderOptions = {}, dependencies: GenesisProviderDependencies = {}) {
    this.#config = resolveProviderConfig(options);
    this.#plan = planSources(this.#config, dependencies);
    const { now, strict, envOverrides, environment, envPrefix, flags } = this.#config;
    this.#env = { nowSeconds: () => Math.floor(now() / 1000) };
    const origins = flags === undefined ? this.#plan.origins : [INLINE_FLAGS_ORIGIN, ...this.#plan.origins];
    this.#loader = new FlagLoader(
      origins,
      envOverrides ? { strict, envOverrides: { environment, prefix: envPrefix } } : { strict },
    );
  }

  /**
   * Loads every source; rejects with the first failure (`File not found: <path>`, a parse error, a
   * sync server out of reach with no cache). A sync source keeps reconnecting after that rejection,
   * and its first payload then emits PROVIDER_READY.
   */
  async initialize(): Promise<void> {
    await this.#stopSources();
    this.#phase = 'starting';
    this.#health.clear();
    try {
      this.#loadInlineFlags();
      this.#sources = this.#plan.create((origin) => this.#listenerFor(origin));
      const started = await Promise.allSettled(this.#sources.map((source) => source.start()));
      const failure = started.find((result) => result.status === 'rejected')?.reason ?? this.#health.firstFailure();
      if (failure !== undefined) throw failure;
      if (this.#phase !== 'starting') return;
      this.#serveMerged();
      this.#phase = 'running';
    } catch (error) {
      const fatal = error instanceof FatalSyncError;
      await this.#abandonStart(fatal);
      // The SDK puts a provider whose initialisation fails with PROVIDER_FATAL in its FATAL state.
      throw fatal ? new ProviderFatalError(error.message, { cause: error }) : error;
    }
  }

  /** Stops every source and waits for them. */
  async onClose(): Promise<void> {
    this.#phase = 'closed';
    await this.#stopSources();
  }

  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.#evaluate(flagKey, 'boolean', defaultValue, context));
  }

  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.#evaluate(flagKey, 'string', defaultValue, context));
  }

  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.#evaluate(flagKey, 'number', defaultValue, context));
  }

  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.#evaluate(flagKey, 'object', defaultValue, context));
  }

  /**
   * The OpenFeature Tracking API (spec §6): `client.track('request', context, { value: latencyMs,
   * error: true })` reports one unit of work. The event is attributed to the variant `context`
   * receives of every flag under a guarded rollout and recorded through OpenTelemetry, per flag and
   * variant: a count, an error count, and the `value` as a latency (see docs/DEPLOYMENT.md).
   */
  track(trackingEventName: string, context: EvaluationContext, trackingEventDetails: TrackingEventDetails): void {
    this.#attribution.record(trackingEventName, trackingEventDetails, (flagKey, type, defaultValue) =>
      this.#store.evaluate(flagKey, type, defaultValue, this.#enrich(context), this.#env),
    );
  }

  /** Evaluates and records the evaluation (OpenFeature's OpenTelemetry appendix attributes). */
  #evaluate<T extends FlagValue>(
    flagKey: string,
    type: FlagType,
    defaultValue: T,
    context: EvaluationContext,
  ): ResolutionDetails<T> {
    const resolution = this.#store.evaluate(flagKey, type, defaultValue, this.#enrich(context), this.#env);
    this.#telemetry.recordEvaluation(flagKey, resolution);
    return this.#cachedOrigins.size === 0 ? resolution : markFromCache(resolution);
  }

  /**
   * The sync server's context is merged over the caller's, as the official flagd provider's context
   * enricher does, so both providers give the same answers from the same server.
   */
  #enrich(context: EvaluationContext): EvaluationContext {
    return this.#syncContext === undefined ? context : { ...context, ...this.#syncContext };
  }

  /** What the provider hears from the source of one origin. */
  #listenerFor(origin: string): SourceListener {
    return {
      payload: (text, fromCache) => this.#onPayload(origin, text, fromCache),
      stale: (error) => this.#onStale(origin, error),
      failed: (error) => this.#onFailed(origin, error),
      recovered: () => this.#onRecovered(origin),
      syncContext: (context) => {
        this.#syncContext = Object.keys(context).length === 0 ? undefined : context;
      },
    };
  }

  #loadInlineFlags(): void {
    if (this.#plan.origins.length === 0 && this.#config.flags === undefined) {
      throw new Error(
        'No flags to serve: set the path, sync or flags option, or FLAGD_OFFLINE_FLAG_SOURCE_PATH or FLAGD_HOST',
      );
    }
    if (this.#config.flags === undefined) return;
    const loaded = this.#loader.load(INLINE_FLAGS_ORIGIN, { document: this.#config.flags });
    if (!loaded.ok) throw new Error(loaded.error);
  }

  #onPayload(origin: string, text: string, fromCache: boolean): void {
    if (this.#phase === 'closed' || this.#phase === 'idle') return;
    const loaded = this.#loader.load(origin, { text });
    if (!loaded.ok) return this.#onFailed(origin, new Error(loaded.error));
    const originChanged = this.#cachedOrigins.has(origin) !== fromCache;
    if (fromCache) this.#cachedOrigins.add(origin);
    else this.#cachedOrigins.delete(origin);
    // While starting, `initialize` applies the merged set once every source has delivered.
    if (this.#phase === 'running') this.#apply(origin, originChanged, [...loaded.value.layer.set.flags.keys()]);
    if (this.#phase === 'waiting') this.#becomeReady(origin);
  }

  /**
   * Serves the merged layers. CONFIGURATION_CHANGED follows when flags changed, when a failed source
   * recovered (after READY), and when the cache gave way to live flags (results lose `source: cache`).
   */
  #apply(origin: string, originChanged: boolean, originKeys: readonly string[]): void {
    const flagsChanged = this.#serveMerged();
    const recovered = this.#health.markHealthy(origin);
    if (recovered) this.events.emit(ProviderEvents.Ready, { message: `Recovered: ${origin} loaded` });
    if (flagsChanged.length > 0) this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged });
    // A file fixed back to its last good content changes no flag, yet its flags are back (and lose the
    // cache marker, for a live payload after the cache): name them, so a listener knows what to re-read.
    else if (recovered || originChanged)
      this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: [...originKeys] });
  }

  /** The first payload after a failed initialisation: the SDK holds the provider in ERROR until READY. */
  #becomeReady(origin: string): void {
    this.#phase = 'running';
    this.#health.clear();
    const flagsChanged = this.#serveMerged();
    this.events.emit(ProviderEvents.Ready, { message: `${origin} loaded` });
    this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged });
  }

  /** The server is away: evaluations go on from the last flags, and callers learn they may be behind. */
  #onStale(origin: string, error: Error): void {
    if (this.#phase !== 'running' || !this.#health.markStale(origin, error)) return;
    this.#config.logger.warn(`Serving the last flags: ${error.message}`);
    this.events.emit(ProviderEvents.Stale, { message: error.message });
  }

  /** A failed source keeps the last good flags: only the status changes, and the reason is logged. */
  #onFailed(origin: string, error: Error): void {
    if (this.#phase === 'closed' || this.#phase === 'idle') return;
    if (error instanceof FatalSyncError) return this.#failFatally(error);
    this.#health.markFailed(origin, error);
    if (this.#phase !== 'running') return;
    this.#config.logger.error(`Keeping the last good flags: ${error.message}`);
    this.events.emit(ProviderEvents.Error, { message: error.message });
  }

  /** A final refusal after a start from the cache: the source has stopped, and the SDK moves the provider to FATAL. */
  #failFatally(error: FatalSyncError): void {
    this.#phase = 'idle';
    this.#config.logger.error(error.message);
    this.events.emit(ProviderEvents.Error, { message: error.message, errorCode: ErrorCode.PROVIDER_FATAL });
  }

  /** A source is live again with nothing new to deliver (a reconnect to unchanged flags). */
  #onRecovered(origin: string): void {
    if (this.#phase !== 'running' || !this.#health.markHealthy(origin)) return;
    this.events.emit(ProviderEvents.Ready, { message: `Recovered: ${origin} is back` });
  }

  #serveMerged(): string[] {
    const merged = this.#loader.merge();
    for (const warning of merged.warnings) this.#config.logger.warn(warning);
    this.#logAppliedOverrides(merged);
    const changed = this.#store.replace(merged);
    this.#attribution.refresh(this.#store);
    return changed;
  }

  /** Each environment override once, when it first applies: which variable, which value, which flag. */
  #logAppliedOverrides(merged: NormalizedFlagSet): void {
    for (const line of describeAppliedOverrides(merged, this.#config.environment)) {
      if (this.#loggedOverrides.has(line)) continue;
      this.#loggedOverrides.add(line);
      this.#config.logger.info(line);
    }
  }

  /** Sources that retry on their own are kept running so that the provider can still become ready. */
  async #abandonStart(fatal: boolean): Promise<void> {
    if (this.#phase !== 'starting') return;
    const retrying = this.#sources.length > 0 && this.#sources.every((source) => source.retriesAfterFailedStart);
    if (!fatal && retrying) {
      this.#phase = 'waiting';
      return;
    }
    this.#phase = 'idle';
    await this.#stopSources();
  }

  async #stopSources(): Promise<void> {
    const sources = this.#sources;
    this.#sources = [];
    await Promise.all(sources.map((source) => source.stop()));
  }
}

/** The sync server when one is configured, else the files (possibly none, with inline flags only). */
function planSources(config: ResolvedProviderConfig, dependencies: GenesisProviderDependencies): SourcePlan {
  if (config.sync !== undefined)
    return planSyncSource(config.sync, config.logger, dependencies.createSyncSource ?? createGrpcSyncSource);
  return planFileSources(config.paths, config.debounceMs, dependencies.createFileSource ?? createWatchingFileSource);
}
