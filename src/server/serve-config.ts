import type { JsonValue } from '@openfeature/core';
import { parseBooleanWord, parseWholeNumber, readEnvVariable, type Environment } from '../flagd/read-env-variable.js';
import type { Result } from '../errors/result.js';
import { withoutUndefined } from '../flagd/without-undefined.js';
import { resolveStoreLocation } from '../store/resolve-store-location.js';
import { DEFAULT_FLAG_SET_ID, parseFlagSetId } from '../store/store-keys.js';
import type { StoreLocation } from '../store/store-url.js';

/** Options of the flag server (`genesis-flags serve`, flagd's `start`); every one is optional. */
export interface ServeOptions {
  /** Flag files, Genesis or flagd format, JSON or YAML; later files win per key. @default ['config/feature_flags.json'] */
  readonly files?: readonly string[];
  /** Interface every port binds to. @default '127.0.0.1' */
  readonly host?: string;
  /** Evaluation port: flagd.evaluation.v1/v2 over gRPC, gRPC-Web and Connect; 0 picks a free one. @default 8013 */
  readonly port?: number;
  /** gRPC port of flagd.sync.v1 and grpc.health.v1; 0 picks a free one. @default 8015 */
  readonly syncPort?: number;
  /** HTTP port of OFREP (`/ofrep/v1/...`); 0 picks a free one. @default 8016 */
  readonly ofrepPort?: number;
  /** HTTP port of /healthz, /readyz and /metrics; 0 picks a free one. @default 8014 */
  readonly managementPort?: number;
  /** PEM certificate chain; with `tlsKeyPath`, every evaluation and sync port speaks TLS. */
  readonly tlsCertPath?: string;
  /** PEM private key of `tlsCertPath`. */
  readonly tlsKeyPath?: string;
  /** File whose trimmed content is the bearer token every sync and evaluation call must present. */
  readonly tokenFile?: string;
  /** Browser origins allowed to call the evaluation ports (CORS); `*` allows any, as flagd by default. @default ['*'] */
  readonly corsOrigins?: readonly string[];
  /** Static context merged into every evaluation and sent to subscribers as `sync_context` (flagd's `--context-value`). @default {} */
  readonly contextValues?: Readonly<Record<string, JsonValue>>;
  /** Request header name → context key, merged into every evaluation (flagd's `--context-from-header`). @default {} */
  readonly contextFromHeaders?: Readonly<Record<string, string>>;
  /** Largest evaluation request body accepted, in bytes; 0 for no limit (flagd's `--max-request-body`). @default 1000000 */
  readonly maxRequestBodyBytes?: number;
  /** Answer the deprecated GetMetadata with UNIMPLEMENTED. @default false */
  readonly disableSyncMetadata?: boolean;
  /**
   * The flag store to serve from instead of files (`redis://`, `rediss://`, `redis+sentinel://`; env
   * `GENESIS_FLAGS_STORE`); see docs/STORE.md. @default undefined (serve files)
   */
  readonly store?: string;
  /** The flag sets served from the store, each a source (`source=` selector) of its own. @default ['default'] */
  readonly flagSets?: readonly string[];
  /** Quiet period after a file change before it is re-read. @default 20 */
  readonly debounceMs?: number;
  /** How long subscribers wait for every file before they get the files that did load. @default 5000 (flagd's) */
  readonly startupGraceMs?: number;
  /** How long shutdown waits for connections to finish. @default 5000 */
  readonly shutdownGraceMs?: number;
}

/** Where `serve --store` reads its flags. */
export interface ServeStoreConfig {
  readonly location: StoreLocation;
  readonly flagSets: readonly string[];
}

export interface ServeConfig {
  /** Empty when the flags come from a store. */
  readonly files: readonly string[];
  readonly store: ServeStoreConfig | undefined;
  readonly host: string;
  readonly port: number;
  readonly syncPort: number;
  readonly ofrepPort: number;
  readonly managementPort: number;
  readonly tls: { readonly certPath: string; readonly keyPath: string } | undefined;
  readonly tokenFile: string | undefined;
  readonly corsOrigins: readonly string[];
  readonly contextValues: Readonly<Record<string, JsonValue>>;
  /** Keys are lower-case header names. */
  readonly contextFromHeaders: Readonly<Record<string, string>>;
  readonly maxRequestBodyBytes: number;
  readonly disableSyncMetadata: boolean;
  readonly debounceMs: number;
  readonly startupGraceMs: number;
  readonly shutdownGraceMs: number;
}

export const SERVE_DEFAULTS = Object.freeze({
  files: Object.freeze(['config/feature_flags.json']),
  host: '127.0.0.1',
  port: 8013,
  syncPort: 8015,
  ofrepPort: 8016,
  managementPort: 8014,
  corsOrigins: Object.freeze(['*']),
  contextValues: Object.freeze({}),
  contextFromHeaders: Object.freeze({}),
  maxRequestBodyBytes: 1_000_000,
  disableSyncMetadata: false,
  debounceMs: 20,
  startupGraceMs: 5_000,
  shutdownGraceMs: 5_000,
});

/** The environment variables flagd reads for the same settings (viper's FLAGD_ prefix on each flag name). */
export const SERVE_VARIABLES = Object.freeze({
  files: 'FLAGD_URI',
  port: 'FLAGD_PORT',
  syncPort: 'FLAGD_SYNC_PORT',
  ofrepPort: 'FLAGD_OFREP_PORT',
  managementPort: 'FLAGD_MANAGEMENT_PORT',
  tlsCertPath: 'FLAGD_SERVER_CERT_PATH',
  tlsKeyPath: 'FLAGD_SERVER_KEY_PATH',
  corsOrigins: 'FLAGD_CORS_ORIGIN',
  contextValues: 'FLAGD_CONTEXT_VALUE',
  contextFromHeaders: 'FLAGD_CONTEXT_FROM_HEADER',
  maxRequestBodyBytes: 'FLAGD_MAX_REQUEST_BODY',
  disableSyncMetadata: 'FLAGD_DISABLE_SYNC_METADATA',
});

const PORT_OPTIONS = ['port', 'syncPort', 'ofrepPort', 'managementPort'] as const;

export type ServeConfigOutcome =
  | { readonly ok: true; readonly value: ServeConfig; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

/**
 * Resolves options once: defaults < environment < options. A bad environment value is warned about by
 * name and ignored; a bad option (from the command line), two ports on one number or an incomplete TLS
 * pair is an error.
 */
export function resolveServeConfig(options: ServeOptions, environment: Environment = process.env): ServeConfigOutcome {
  const warnings: string[] = [];
  const env = readEnvironment(environment, warnings);
  const merged = { ...SERVE_DEFAULTS, ...env, ...withoutUndefined(options) };
  const store = resolveStore(options, env, environment);
  if (!store.ok) return store;
  const problem = findProblem(store.value === undefined ? merged : { ...merged, files: ['store'] });
  if (problem !== undefined) return { ok: false, error: problem };
  const tls =
    merged.tlsCertPath !== undefined && merged.tlsKeyPath !== undefined
      ? { certPath: merged.tlsCertPath, keyPath: merged.tlsKeyPath }
      : undefined;
  const value: ServeConfig = Object.freeze({
    files: Object.freeze(store.value === undefined ? [...merged.files] : []),
    store: store.value,
    host: merged.host,
    port: merged.port,
    syncPort: merged.syncPort,
    ofrepPort: merged.ofrepPort,
    managementPort: merged.managementPort,
    tls,
    tokenFile: merged.tokenFile,
    corsOrigins: Object.freeze([...merged.corsOrigins]),
    contextValues: merged.contextValues,
    contextFromHeaders: lowerCaseKeys(merged.contextFromHeaders),
    maxRequestBodyBytes: merged.maxRequestBodyBytes,
    disableSyncMetadata: merged.disableSyncMetadata,
    debounceMs: merged.debounceMs,
    startupGraceMs: merged.startupGraceMs,
    shutdownGraceMs: merged.shutdownGraceMs,
  });
  return { ok: true, value, warnings };
}

/** The store to serve from, if one is named; files named too (option or FLAGD_URI) are a conflict. */
function resolveStore(
  options: ServeOptions,
  fromEnvironment: ServeOptions,
  environment: Environment,
): Result<ServeStoreConfig | undefined> {
  const location = resolveStoreLocation(options.store, environment);
  if (!location.ok) return location;
  if (location.value === undefined) return { ok: true, value: undefined };
  if (options.files !== undefined || fromEnvironment.files !== undefined)
    return { ok: false, error: 'Flags come from files or from a store, not both: drop the files or --store' };
  const flagSets = [...new Set(options.flagSets ?? [DEFAULT_FLAG_SET_ID])];
  for (const id of flagSets) {
    const parsed = parseFlagSetId(id);
    if (!parsed.ok) return parsed;
  }
  return { ok: true, value: Object.freeze({ location: location.value, flagSets: Object.freeze(flagSets) }) };
}

type MergedOptions = Required<
  Pick<ServeOptions, 'files' | 'port' | 'syncPort' | 'ofrepPort' | 'managementPort' | 'maxRequestBodyBytes'>
> &
  Pick<ServeOptions, 'tlsCertPath' | 'tlsKeyPath'>;

function findProblem(merged: MergedOptions): string | undefined {
  for (const name of PORT_OPTIONS) {
    if (!isPort(merged[name])) return `Invalid ${name}: ${String(merged[name])} (expected 0-65535)`;
  }
  const taken = new Map<number, string>();
  for (const name of PORT_OPTIONS) {
    const port = merged[name];
    const other = taken.get(port);
    if (port !== 0 && other !== undefined) return `${other} and ${name} are both ${port}; each port needs its own`;
    taken.set(port, name);
  }
  if (!Number.isSafeInteger(merged.maxRequestBodyBytes) || merged.maxRequestBodyBytes < 0)
    return `Invalid maxRequestBodyBytes: ${merged.maxRequestBodyBytes} (expected a whole number of bytes, 0 for no limit)`;
  if (merged.files.length === 0) return 'No flag files given';
  if ((merged.tlsCertPath === undefined) !== (merged.tlsKeyPath === undefined))
    return 'TLS needs both a certificate and a key (--server-cert-path and --server-key-path)';
  return undefined;
}

function readEnvironment(environment: Environment, warnings: string[]): ServeOptions {
  const read = <T>(variable: string, parse: (text: string) => T | undefined, expected: string): T | undefined =>
    readEnvVariable(environment, variable, parse, expected, warnings);
  const readPort = (variable: string): number | undefined => read(variable, parsePort, 'a port number');
  return withoutUndefined({
    files: read(SERVE_VARIABLES.files, parseFileUris, 'file paths or file: URIs, comma-separated'),
    port: readPort(SERVE_VARIABLES.port),
    syncPort: readPort(SERVE_VARIABLES.syncPort),
    ofrepPort: readPort(SERVE_VARIABLES.ofrepPort),
    managementPort: readPort(SERVE_VARIABLES.managementPort),
    tlsCertPath: read(SERVE_VARIABLES.tlsCertPath, (text) => text, 'a path'),
    tlsKeyPath: read(SERVE_VARIABLES.tlsKeyPath, (text) => text, 'a path'),
    corsOrigins: read(SERVE_VARIABLES.corsOrigins, parseList, 'origins, comma-separated'),
    contextValues: read(SERVE_VARIABLES.contextValues, parseKeyValues, 'key=value pairs, comma-separated'),
    contextFromHeaders: read(SERVE_VARIABLES.contextFromHeaders, parseKeyValues, 'header=key pairs, comma-separated'),
    maxRequestBodyBytes: read(SERVE_VARIABLES.maxRequestBodyBytes, parseWholeNumber, 'a number of bytes'),
    disableSyncMetadata: read(SERVE_VARIABLES.disableSyncMetadata, parseBooleanWord, 'true or false'),
  });
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 65_535;
}

function parsePort(text: string): number | undefined {
  const value = parseWholeNumber(text);
  return value !== undefined && isPort(value) ? value : undefined;
}

function parseList(text: string): string[] | undefined {
  const entries = text.split(',').map((entry) => entry.trim());
  return entries.some((entry) => entry === '') ? undefined : entries;
}

/** HTTP header names are case-insensitive; lower case is how node and fetch's Headers hand them over. */
function lowerCaseKeys(record: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  return Object.freeze(Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value])));
}

/**
 * flagd's `--uri`/FLAGD_URI list sources; only files (bare paths or `file:` URIs) are served here.
 * Undefined when an entry is another kind of source (`grpc://`, `https://`, a Kubernetes resource).
 */
export function parseFileUris(text: string): string[] | undefined {
  const entries = text.split(/[\s,]+/).filter((entry) => entry !== '');
  if (entries.some((entry) => /^[a-z][a-z0-9+.-]+:/i.test(entry) && !entry.startsWith('file:'))) return undefined;
  return entries.map((entry) => entry.replace(/^file:/, ''));
}

/** `key=value,key2=value2`, values kept as strings, as flagd's --context-value does. */
export function parseKeyValues(text: string): Record<string, string> | undefined {
  const pairs: Record<string, string> = {};
  for (const entry of text.split(',').filter((part) => part.trim() !== '')) {
    const delimiter = entry.indexOf('=');
    if (delimiter <= 0) return undefined;
    pairs[entry.slice(0, delimiter).trim()] = entry.slice(delimiter + 1);
  }
  return pairs;
}
