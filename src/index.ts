// The public surface of genesis-flags. Everything a user imports is listed here by name.

// The OpenFeature provider.
export { GenesisProvider } from './provider/genesis-provider.js';
export type { CreateFileSource, CreateSyncSource, GenesisProviderDependencies } from './provider/genesis-provider.js';
export { PROVIDER_DEFAULTS, PROVIDER_OPTION_VARIABLES, resolveProviderConfig } from './provider/provider-options.js';
export type { GenesisProviderOptions, ResolvedProviderConfig } from './provider/provider-options.js';
export { CACHE_SOURCE } from './provider/cache-metadata.js';
export { SYNC_DEFAULTS, SYNC_OPTION_VARIABLES } from './provider/sync-options.js';
export type { GenesisSyncOptions, ResolvedSyncConfig } from './provider/sync-options.js';

// Loading documents: parse, translate, environment overrides, normalise.
export { FlagLoader } from './loading/flag-loader.js';
export type { GenesisForm, LoadedChange, LoadedLayer, LoadInput, LoadOptions } from './loading/flag-loader.js';
export { loadFlagDocument } from './loading/load-flag-document.js';
export { applyEnvOverrides, ENV_OVERRIDE_VARIANT, flagEnvVariableName } from './loading/env-overrides.js';
export { ENV_OVERRIDE_SOURCE } from './genesis/apply-genesis-env-overrides.js';
export type { EnvironmentSnapshot, EnvOverrideOptions, EnvOverrideResult } from './loading/env-overrides.js';

// The flagd-compatible core: parse, normalise, merge, compile, evaluate, store.
export { parseDocumentText } from './document/parse-document-text.js';
export { normalizeFlagSet } from './flagd/parse/flag-set-normalizer.js';
export type { NormalizeOptions } from './flagd/parse/flag-set-normalizer.js';
export { mergeFlagSets } from './flagd/parse/merge-flag-sets.js';
export type { OriginFlagSet } from './flagd/parse/merge-flag-sets.js';
export { toFlagdDocument } from './flagd/parse/to-flagd-document.js';
export { compileFlag } from './flagd/compile-flag.js';
export { evaluateFlag } from './flagd/evaluate-flag.js';
export { FlagStore } from './flagd/flag-store.js';
export type {
  CompiledFlag,
  EvaluationContext,
  EvaluationEnv,
  FlagDefinition,
  FlagEntry,
  FlagMetadata,
  FlagSetDocument,
  FlagState,
  FlagType,
  FlagValue,
  JsonValue,
  NormalizedFlagSet,
  Resolution,
} from './flagd/model.js';

// Errors as values: what loading, parsing and normalising return.
export type { Failure, Result, ResultWithWarnings } from './errors/result.js';

// Sources.
export { FileSource } from './flagd/sources/file-source.js';
export type { FileReader, FileSourceOptions } from './flagd/sources/file-source.js';
export type { FlagSource, SourceListener } from './sources/flag-source.js';
