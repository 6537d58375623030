import type { Logger } from '@openfeature/core';
import type { FlagSetDocument } from '../flagd/model.js';
import type { EnvironmentSnapshot } from '../loading/env-overrides.js';
import { booleanOption, durationMsOption, functionOption, recordOption, stringOption } from '../options/option-kind.js';
import {
  checkOption,
  optionDefaults,
  optionVariables,
  readOptions,
  type OptionTable,
} from '../options/read-options.js';
import { loggerOption, pathsOption, unknownOptionWarnings } from './option-checks.js';
import {
  resolveSyncConfig,
  SYNC_MODE_VARIABLES,
  type GenesisSyncOptions,
  type ResolvedSyncConfig,
} from './sync-options.js';

/** Options of `new GenesisProvider(options)`; every one is optional. */
export interface GenesisProviderOptions {
  /**
   * One flag file or several, JSON or YAML (`.yaml`/`.yml`); later files win per flag key, and a key
   * defined twice is warned about. Each file is watched and reloaded when it changes.
   * @default the `FLAGD_OFFLINE_FLAG_SOURCE_PATH` environment variable, else no file
   */
  readonly path?: string | readonly string[];
  /**
   * Subscribe to a flag sync server (`genesis-flags serve`, or flagd) instead of reading files; see
   * README's sync options. Wins over `path` when both are given.
   * @default sync mode when FLAGD_HOST, FLAGD_SYNC_PORT, FLAGD_PORT or FLAGD_SOURCE_SELECTOR is set
   * and neither `path` nor FLAGD_OFFLINE_FLAG_SOURCE_PATH is; otherwise none
   */
  readonly sync?: GenesisSyncOptions;
  /**
   * An inline flagd document, loaded before the files or the sync payload (which win over it per key).
   * @default none
   */
  readonly flags?: FlagSetDocument;
  /**
   * Reject a document on any schema violation instead of logging it as a warning (flagd's behaviour).
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Let an environment variable named after a flag (`my-flag` -> `MY_FLAG`) override it.
   * @default true
   */
  readonly envOverrides?: boolean;
  /**
   * Prefix of the override variables (`APP_` reads `APP_MY_FLAG`).
   * @default ''
   */
  readonly envPrefix?: string;
  /**
   * Quiet period after a file change before the file is re-read. It joins the events of one save (a
   * truncate and a write, a rename) into one read; every reload waits this long.
   * @default 10
   */
  readonly debounceMs?: number;
  /**
   * Where warnings (schema violations, ignored overrides, bad options) and reload errors go.
   * @default console
   */
  readonly logger?: Logger;
  /**
   * The clock, in milliseconds since the Unix epoch; rules see it as `$flagd.timestamp` in seconds.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * The environment the options and overrides are read from, copied once at construction.
   * @default process.env
   */
  readonly environment?: EnvironmentSnapshot;
}

/** The complete configuration the provider runs with, resolved once and frozen. */
export interface ResolvedProviderConfig {
  /** The flag files to read; empty in sync mode. */
  readonly paths: readonly string[];
  /** The sync server to subscribe to; undefined unless in sync mode. */
  readonly sync: ResolvedSyncConfig | undefined;
  readonly flags: FlagSetDocument | undefined;
  readonly strict: boolean;
  readonly envOverrides: boolean;
  readonly envPrefix: string;
  readonly debounceMs: number;
  readonly logger: Logger;
  readonly now: () => number;
  readonly environment: EnvironmentSnapshot;
}

/**
 * Every option, declared once: what it accepts, its variable (flagd's names where the meaning is the
 * same) and its default. The order is README's table's, which a test checks against this.
 */
export const PROVIDER_OPTIONS = Object.freeze({
  path: { kind: pathsOption, env: 'FLAGD_OFFLINE_FLAG_SOURCE_PATH' },
  sync: { kind: recordOption<GenesisSyncOptions>() },
  flags: { kind: recordOption<FlagSetDocument>() },
  strict: { kind: booleanOption, env: 'GENESIS_FLAGS_STRICT', default: false },
  envOverrides: { kind: booleanOption, env: 'GENESIS_FLAGS_ENV_OVERRIDES', default: true },
  envPrefix: { kind: stringOption, env: 'GENESIS_FLAGS_ENV_PREFIX', default: '' },
  debounceMs: { kind: durationMsOption, env: 'GENESIS_FLAGS_DEBOUNCE_MS', default: 10 },
  logger: { kind: loggerOption, default: console as Logger },
  now: { kind: functionOption, default: Date.now },
  environment: { kind: recordOption<EnvironmentSnapshot>() },
}) satisfies OptionTable<GenesisProviderOptions>;

/** Every default in one place; README's option table is checked against it. */
export const PROVIDER_DEFAULTS = optionDefaults(PROVIDER_OPTIONS);

/** The environment variables that set options. */
export const PROVIDER_OPTION_VARIABLES = optionVariables(PROVIDER_OPTIONS);

/** Every option name, in the order README's table lists them. */
export const PROVIDER_OPTION_NAMES = Object.freeze(Object.keys(PROVIDER_OPTIONS) as (keyof GenesisProviderOptions)[]);

/** The options as read: those with a default in PROVIDER_OPTIONS are always there. */
type ReadOptions = GenesisProviderOptions &
  Required<Pick<GenesisProviderOptions, 'strict' | 'envOverrides' | 'envPrefix' | 'debounceMs' | 'logger' | 'now'>>;

/**
 * Resolves options once: defaults < environment variables < options. A bad value (in an option or a
 * variable) is warned about by name through the resolved logger and the next source is used instead.
 */
export function resolveProviderConfig(
  options: GenesisProviderOptions = {},
  processEnvironment: EnvironmentSnapshot = process.env,
): ResolvedProviderConfig {
  const warnings: string[] = [];
  const environmentOption = checkOption(PROVIDER_OPTIONS.environment, 'environment', options.environment, warnings);
  const environment = Object.freeze({ ...(environmentOption ?? processEnvironment) });
  // The environment option is read above, before the variables it holds.
  const read = readOptions(
    PROVIDER_OPTIONS,
    { ...options, environment: undefined },
    environment,
    warnings,
  ) as ReadOptions;
  const { logger } = read;
  const config: ResolvedProviderConfig = Object.freeze({
    ...chooseSourceMode(read, options, environment, warnings),
    flags: read.flags,
    strict: read.strict,
    envOverrides: read.envOverrides,
    envPrefix: read.envPrefix,
    debounceMs: read.debounceMs,
    logger,
    now: read.now,
    environment,
  });
  warnings.push(...unknownOptionWarnings(options, PROVIDER_OPTION_NAMES));
  for (const warning of warnings) logger.warn(warning);
  return config;
}

/**
 * Files or a sync server, never both. An option decides before any variable: `sync`, then `path`.
 * Without either, FLAGD_OFFLINE_FLAG_SOURCE_PATH means files (it overrides host and port in the
 * official flagd providers too), then any of SYNC_MODE_VARIABLES means sync. Otherwise there is no
 * source, and only the inline `flags` are served.
 */
function chooseSourceMode(
  read: Partial<GenesisProviderOptions>,
  options: GenesisProviderOptions,
  environment: EnvironmentSnapshot,
  warnings: string[],
): Pick<ResolvedProviderConfig, 'paths' | 'sync'> {
  if (read.sync !== undefined) {
    if (options.path !== undefined && PROVIDER_OPTIONS.path.kind.check(options.path) !== undefined)
      warnings.push('Ignoring path: the sync option is set, and a provider reads either flag files or a sync server');
    return { paths: Object.freeze([]), sync: resolveSyncConfig(read.sync, environment, warnings) };
  }
  if (read.path !== undefined)
    return { paths: Object.freeze(typeof read.path === 'string' ? [read.path] : [...read.path]), sync: undefined };
  const syncFromEnvironment = SYNC_MODE_VARIABLES.some((variable) => (environment[variable] ?? '') !== '');
  return {
    paths: Object.freeze([]),
    sync: syncFromEnvironment ? resolveSyncConfig({}, environment, warnings) : undefined,
  };
}
