import type { Logger } from '@openfeature/core';
import type { FlagSetDocument } from '../flagd/model.js';
import type { EnvironmentSnapshot } from '../loading/env-overrides.js';
import {
  checkBoolean,
  checkDuration,
  checkFunction,
  checkLogger,
  checkPaths,
  checkRecord,
  checkString,
  parseBooleanText,
  parseDurationText,
  pickOption,
  unknownOptionWarnings,
  type Check,
} from './option-checks.js';
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

/** Every default in one place; README's option table is checked against it. */
export const PROVIDER_DEFAULTS = Object.freeze({
  strict: false,
  envOverrides: true,
  envPrefix: '',
  debounceMs: 10,
  logger: console as Logger,
  now: Date.now,
});

/** The environment variables that set options, flagd's names where the meaning is the same. */
export const PROVIDER_OPTION_VARIABLES = Object.freeze({
  path: 'FLAGD_OFFLINE_FLAG_SOURCE_PATH',
  strict: 'GENESIS_FLAGS_STRICT',
  envOverrides: 'GENESIS_FLAGS_ENV_OVERRIDES',
  envPrefix: 'GENESIS_FLAGS_ENV_PREFIX',
  debounceMs: 'GENESIS_FLAGS_DEBOUNCE_MS',
});

/** Every option name, in the order README's table lists them. */
export const PROVIDER_OPTION_NAMES: readonly (keyof GenesisProviderOptions)[] = Object.freeze([
  'path',
  'sync',
  'flags',
  'strict',
  'envOverrides',
  'envPrefix',
  'debounceMs',
  'logger',
  'now',
  'environment',
]);

/**
 * Resolves options once: defaults < environment variables < options. A bad value (in an option or a
 * variable) is warned about by name through the resolved logger and the next source is used instead.
 */
export function resolveProviderConfig(
  options: GenesisProviderOptions = {},
  processEnvironment: EnvironmentSnapshot = process.env,
): ResolvedProviderConfig {
  const warnings: string[] = [];
  const environment = Object.freeze({
    ...(pickOption(options.environment, 'environment', checkRecord<EnvironmentSnapshot>, warnings) ??
      processEnvironment),
  });
  const resolve = <T>(
    name: keyof typeof PROVIDER_OPTION_VARIABLES,
    check: Check<T>,
    parseText: Check<T>,
  ): T | undefined =>
    pickOption(options[name], name, check, warnings) ?? fromVariable(environment, name, parseText, warnings);
  const logger = pickOption(options.logger, 'logger', checkLogger, warnings) ?? PROVIDER_DEFAULTS.logger;
  const config: ResolvedProviderConfig = Object.freeze({
    ...chooseSourceMode(options, environment, warnings),
    flags: pickOption(options.flags, 'flags', checkRecord<FlagSetDocument>, warnings),
    strict: resolve('strict', checkBoolean, parseBooleanText) ?? PROVIDER_DEFAULTS.strict,
    envOverrides: resolve('envOverrides', checkBoolean, parseBooleanText) ?? PROVIDER_DEFAULTS.envOverrides,
    envPrefix: resolve('envPrefix', checkString, checkString) ?? PROVIDER_DEFAULTS.envPrefix,
    debounceMs: resolve('debounceMs', checkDuration, parseDurationText) ?? PROVIDER_DEFAULTS.debounceMs,
    logger,
    now: pickOption(options.now, 'now', checkFunction, warnings) ?? PROVIDER_DEFAULTS.now,
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
  options: GenesisProviderOptions,
  environment: EnvironmentSnapshot,
  warnings: string[],
): Pick<ResolvedProviderConfig, 'paths' | 'sync'> {
  const syncOption = pickOption(options.sync, 'sync', checkRecord<GenesisSyncOptions>, warnings);
  const pathOption = pickOption(options.path, 'path', checkPaths, warnings);
  if (syncOption !== undefined) {
    if (pathOption !== undefined)
      warnings.push('Ignoring path: the sync option is set, and a provider reads either flag files or a sync server');
    return { paths: Object.freeze([]), sync: resolveSyncConfig(syncOption, environment, warnings) };
  }
  const paths = pathOption ?? fromVariable(environment, 'path', checkPaths, warnings);
  if (paths !== undefined) return { paths: Object.freeze([...paths]), sync: undefined };
  const syncFromEnvironment = SYNC_MODE_VARIABLES.some((variable) => (environment[variable] ?? '') !== '');
  return {
    paths: Object.freeze([]),
    sync: syncFromEnvironment ? resolveSyncConfig({}, environment, warnings) : undefined,
  };
}

function fromVariable<T>(
  environment: EnvironmentSnapshot,
  name: keyof typeof PROVIDER_OPTION_VARIABLES,
  parseText: Check<T>,
  warnings: string[],
): T | undefined {
  const variable = PROVIDER_OPTION_VARIABLES[name];
  const text = environment[variable];
  return text === undefined ? undefined : pickOption(text, `environment variable ${variable}`, parseText, warnings);
}
