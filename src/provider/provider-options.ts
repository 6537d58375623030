import type { Logger } from '@openfeature/core';
import type { FlagSetDocument } from '../flagd/model.js';
import type { EnvironmentSnapshot } from '../loading/env-overrides.js';
import { parseEnvValue } from '../loading/env-value.js';

/** Options of `new GenesisProvider(options)`; every one is optional. */
export interface GenesisProviderOptions {
  /**
   * One flag file or several, JSON or YAML (`.yaml`/`.yml`); later files win per flag key, and a key
   * defined twice is warned about. Each file is watched and reloaded when it changes.
   * @default the `FLAGD_OFFLINE_FLAG_SOURCE_PATH` environment variable, else no file
   */
  readonly path?: string | readonly string[];
  /**
   * An inline flagd document, loaded before the files (so a file wins over it per key).
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
   * Quiet period after a file change before the file is re-read.
   * @default 20
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
  readonly paths: readonly string[];
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
  debounceMs: 20,
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
  'path', 'flags', 'strict', 'envOverrides', 'envPrefix', 'debounceMs', 'logger', 'now', 'environment',
]);
const KNOWN_OPTIONS: ReadonlySet<string> = new Set(PROVIDER_OPTION_NAMES);

/** A checked value, or a description of what was expected. */
type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly expected: string };
type Check<T> = (value: unknown) => Checked<T>;

/**
 * Resolves options once: defaults < environment variables < options. A bad value (in an option or a
 * variable) is warned about by name through the resolved logger and the next source is used instead.
 */
export function resolveProviderConfig(
  options: GenesisProviderOptions = {},
  processEnvironment: EnvironmentSnapshot = process.env,
): ResolvedProviderConfig {
  const warnings: string[] = [];
  const environment = Object.freeze({ ...(pick(options.environment, 'environment', checkRecord<EnvironmentSnapshot>, warnings) ?? processEnvironment) });
  const resolve = <T>(name: keyof typeof PROVIDER_OPTION_VARIABLES, check: Check<T>, parseText: Check<T>): T | undefined => {
    const variable = PROVIDER_OPTION_VARIABLES[name];
    const text = environment[variable];
    const fromVariable = text === undefined ? undefined : pick(text, `environment variable ${variable}`, parseText, warnings);
    return pick(options[name], name, check, warnings) ?? fromVariable;
  };
  const logger = pick(options.logger, 'logger', checkLogger, warnings) ?? PROVIDER_DEFAULTS.logger;
  const config: ResolvedProviderConfig = Object.freeze({
    paths: Object.freeze([...(resolve('path', checkPaths, checkPaths) ?? [])]),
    flags: pick(options.flags, 'flags', checkRecord<FlagSetDocument>, warnings),
    strict: resolve('strict', checkBoolean, parseBooleanText) ?? PROVIDER_DEFAULTS.strict,
    envOverrides: resolve('envOverrides', checkBoolean, parseBooleanText) ?? PROVIDER_DEFAULTS.envOverrides,
    envPrefix: resolve('envPrefix', checkString, checkString) ?? PROVIDER_DEFAULTS.envPrefix,
    debounceMs: resolve('debounceMs', checkDuration, parseDurationText) ?? PROVIDER_DEFAULTS.debounceMs,
    logger,
    now: pick(options.now, 'now', checkFunction, warnings) ?? PROVIDER_DEFAULTS.now,
    environment,
  });
  warnings.push(...unknownOptionWarnings(options));
  for (const warning of warnings) logger.warn(warning);
  return config;
}

/** The value when it passes its check; otherwise undefined, with a warning naming the option. */
function pick<T>(value: unknown, name: string, check: Check<T>, warnings: string[]): T | undefined {
  if (value === undefined) return undefined;
  const checked = check(value);
  if (checked.ok) return checked.value;
  warnings.push(`Ignoring ${name}: expected ${checked.expected}, got ${describe(value)}`);
  return undefined;
}

function unknownOptionWarnings(options: object): string[] {
  return Object.keys(options)
    .filter((key) => !KNOWN_OPTIONS.has(key))
    .map((key) => `Ignoring unknown option ${key} (known options: ${[...KNOWN_OPTIONS].join(', ')})`);
}

function checkPaths(value: unknown): Checked<readonly string[]> {
  const paths = typeof value === 'string' ? [value] : value;
  const valid = Array.isArray(paths) && paths.length > 0 && paths.every((path) => typeof path === 'string' && path.trim() !== '');
  return valid ? { ok: true, value: [...(paths as string[])] } : { ok: false, expected: 'a file path or a non-empty list of file paths' };
}

function checkBoolean(value: unknown): Checked<boolean> {
  return typeof value === 'boolean' ? { ok: true, value } : { ok: false, expected: 'true or false' };
}

function parseBooleanText(value: unknown): Checked<boolean> {
  const parsed = parseEnvValue(String(value), 'boolean');
  return parsed.ok ? { ok: true, value: parsed.value === true } : parsed;
}

function checkString(value: unknown): Checked<string> {
  return typeof value === 'string' ? { ok: true, value } : { ok: false, expected: 'a string' };
}

function checkDuration(value: unknown): Checked<number> {
  const valid = typeof value === 'number' && Number.isFinite(value) && value >= 0;
  return valid ? { ok: true, value } : { ok: false, expected: 'a number of milliseconds >= 0' };
}

function parseDurationText(value: unknown): Checked<number> {
  const text = String(value).trim();
  return checkDuration(text === '' ? Number.NaN : Number(text));
}

function checkRecord<T extends object>(value: unknown): Checked<T> {
  const valid = typeof value === 'object' && value !== null && !Array.isArray(value);
  return valid ? { ok: true, value: value as T } : { ok: false, expected: 'an object' };
}

function checkFunction(value: unknown): Checked<() => number> {
  return typeof value === 'function' ? { ok: true, value: value as () => number } : { ok: false, expected: 'a function' };
}

function checkLogger(value: unknown): Checked<Logger> {
  const methods = ['error', 'warn', 'info', 'debug'] as const;
  const valid = typeof value === 'object' && value !== null && methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
  return valid ? { ok: true, value: value as Logger } : { ok: false, expected: 'a logger with error, warn, info and debug methods' };
}

function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
