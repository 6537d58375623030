import {
  OpenFeatureEventEmitter,
  ProviderEvents,
  type EvaluationContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import { FlagStore } from '../flagd/flag-store.js';
import type { EvaluationEnv } from '../flagd/model.js';
import { FileSource } from '../flagd/sources/file-source.js';
import type { FlagSource, SourceCallbacks } from '../flagd/sources/flag-source.js';
import { FlagSetLayers } from '../loading/flag-set-layers.js';
import { resolveProviderConfig, type GenesisProviderOptions, type ResolvedProviderConfig } from './provider-options.js';

/** How the provider builds a source for one file; replaceable so the adapter can be tested alone. */
export type CreateFileSource = (path: string, debounceMs: number, callbacks: SourceCallbacks) => FlagSource;

export interface GenesisProviderDependencies {
  /** @default a watching `FileSource` */
  readonly createFileSource?: CreateFileSource;
}

/** The origin name of the inline `flags` option in messages. */
export const INLINE_FLAGS_ORIGIN = 'flags option';

type Phase = 'idle' | 'starting' | 'running' | 'closed';

const createWatchingFileSource: CreateFileSource = (path, debounceMs, callbacks) => new FileSource({ path, debounceMs }, callbacks);

/**
 * The OpenFeature provider over flag files. A thin adapter: it owns the lifecycle (sources started in
 * `initialize`, stopped in `onClose`) and the events, and delegates loading to `FlagSetLayers` and
 * every evaluation to `FlagStore`.
 */
export class GenesisProvider implements Provider {
  readonly metadata = { name: 'genesis-flags' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  readonly #config: ResolvedProviderConfig;
  readonly #createFileSource: CreateFileSource;
  readonly #store = new FlagStore();
  readonly #env: EvaluationEnv;
  readonly #layers: FlagSetLayers;
  readonly #failing = new Map<string, Error>();
  #sources: FlagSource[] = [];
  #phase: Phase = 'idle';

  constructor(options: GenesisProviderOptions = {}, dependencies: GenesisProviderDependencies = {}) {
    this.#config = resolveProviderConfig(options);
    this.#createFileSource = dependencies.createFileSource ?? createWatchingFileSource;
    const { now, strict, envOverrides, environment, envPrefix, paths, flags } = this.#config;
    this.#env = { nowSeconds: () => Math.floor(now() / 1000) };
    const origins = flags === undefined ? paths : [INLINE_FLAGS_ORIGIN, ...paths];
    this.#layers = new FlagSetLayers(origins, envOverrides ? { strict, envOverrides: { environment, prefix: envPrefix } } : { strict });
  }

  /** Loads every source; rejects with the first failure (`File not found: <path>`, a parse error). */
  async initialize(): Promise<void> {
    this.#phase = 'starting';
    this.#failing.clear();
    try {
      this.#loadInlineFlags();
      this.#sources = this.#config.paths.map((path) => this.#createFileSource(path, this.#config.debounceMs, this.#callbacksFor(path)));
      const started = await Promise.allSettled(this.#sources.map((source) => source.start()));
      const failure = started.find((result) => result.status === 'rejected')?.reason ?? this.#failing.values().next().value;
      if (failure !== undefined) throw failure;
      this.#serveMerged();
      this.#phase = 'running';
    } catch (error) {
      await this.#stopSources();
      this.#phase = 'idle';
      throw error;
    }
  }

  /** Stops every watcher and waits for them. */
  async onClose(): Promise<void> {
    this.#phase = 'closed';
    await this.#stopSources();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.#store.evaluate(flagKey, 'boolean', defaultValue, context, this.#env));
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.#store.evaluate(flagKey, 'string', defaultValue, context, this.#env));
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.#store.evaluate(flagKey, 'number', defaultValue, context, this.#env));
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.#store.evaluate(flagKey, 'object', defaultValue, context, this.#env));
  }

  #loadInlineFlags(): void {
    if (this.#config.paths.length === 0 && this.#config.flags === undefined) {
      throw new Error('No flags to serve: set the path or flags option, or FLAGD_OFFLINE_FLAG_SOURCE_PATH');
    }
    if (this.#config.flags === undefined) return;
    const loaded = this.#layers.loadDocument(INLINE_FLAGS_ORIGIN, this.#config.flags);
    if (!loaded.ok) throw new Error(loaded.error);
  }

  #callbacksFor(origin: string): SourceCallbacks {
    return {
      onPayload: (text) => this.#onPayload(origin, text),
      onError: (error) => this.#onSourceError(origin, error),
    };
  }

  #onPayload(origin: string, text: string): void {
    if (this.#phase === 'closed' || this.#phase === 'idle') return;
    const loaded = this.#layers.loadText(origin, text);
    if (!loaded.ok) return this.#onSourceError(origin, new Error(loaded.error));
    // While starting, `initialize` applies the merged set once every source has delivered.
    if (this.#phase === 'running') this.#apply(origin);
  }

  /** Serves the merged layers; its warnings (every layer's, and duplicate keys) are logged each time. */
  #apply(origin: string): void {
    const flagsChanged = this.#serveMerged();
    const recovered = this.#failing.delete(origin) && this.#failing.size === 0;
    if (recovered) this.events.emit(ProviderEvents.Ready, { message: `Recovered: ${origin} loaded` });
    if (recovered || flagsChanged.length > 0) this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged });
  }

  /** A failed reload keeps the last good flags: only the status changes, and the reason is logged. */
  #onSourceError(origin: string, error: Error): void {
    if (this.#phase === 'closed' || this.#phase === 'idle') return;
    this.#failing.set(origin, error);
    if (this.#phase !== 'running') return;
    this.#config.logger.error(`Keeping the last good flags: ${error.message}`);
    this.events.emit(ProviderEvents.Error, { message: error.message });
  }

  #serveMerged(): string[] {
    const merged = this.#layers.merge();
    for (const warning of merged.warnings) this.#config.logger.warn(warning);
    return this.#store.replace(merged);
  }

  async #stopSources(): Promise<void> {
    const sources = this.#sources;
    this.#sources = [];
    await Promise.all(sources.map((source) => source.stop()));
  }
}
