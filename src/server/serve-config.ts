import type { JsonValue } from '@openfeature/core';
import {
  booleanOption,
  byteCountOption,
  durationMsOption,
  listenPortOption,
  nonEmptyStringOption,
  optionKind,
  parseDecimalText,
  recordOption,
} from '../options/option-kind.js';
import {
  describeOptionValue,
  optionDefaults,
  optionVariables,
  readOptions,
  unusableValue,
  type EnvironmentSnapshot,
  type OptionSpec,
  type OptionTable,
} from '../options/read-options.js';
import type { Result, ResultWithWarnings } from '../errors/result.js';
import { parseStoreUrl, type StoreLocation } from '../store/store-url.js';
import { DEFAULT_FLAG_SET_ID, parseFlagSetId } from '../store/store-keys.js';

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
  /**
   * With a store: how often each replica refreshes its presence there (who it is, the revision it
   * serves, how many of its streams have it); a presence expires after three of these. @default 2000
   */
  readonly presenceIntervalMs?: number;
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
  readonly presenceIntervalMs: number;
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

const isStringList = (value: unknown): value is readonly string[] =>
  Array.isArray(value) && value.every((entry) => typeof entry === 'string' && entry.trim() !== '');
const isStringRecord = (value: unknown): value is Readonly<Record<string, string>> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((entry) => typeof entry === 'string');

const fileListOption = optionKind<readonly string[]>(
  'file paths or file: URIs, comma-separated',
  (value) => (isStringList(value) ? value : undefined),
  (text) => parseFileUris(text),
);
const originListOption = optionKind<readonly string[]>(
  'origins, comma-separated',
  (value) => (isStringList(value) ? value : undefined),
  (text) => parseList(text),
);
const flagSetListOption = optionKind<readonly string[]>(
  'flag set ids, comma-separated',
  (value) => (isStringList(value) ? value : undefined),
  (text) => parseList(text),
);
const contextValuesOption = optionKind(
  'key=value pairs, comma-separated',
  recordOption<Readonly<Record<string, JsonValue>>>().check,
  (text) => parseKeyValues(text),
);
const headerPairsOption = optionKind<Readonly<Record<string, string>>>(
  'header=key pairs, comma-separated',
  (value) => (isStringRecord(value) ? value : undefined),
  (text) => parseKeyValues(text),
);

/** A period that repeats: zero would spin. */
const intervalMsOption = optionKind(
  'a number of milliseconds > 0',
  (value) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined),
  parseDecimalText,
);

/**
 * Every server option, declared once: what it accepts, the variable flagd reads for the same setting
 * (viper's FLAGD_ prefix on each flag name), and its default.
 */
export const SERVE_OPTIONS = Object.freeze({
  files: { kind: fileListOption, env: 'FLAGD_URI', default: Object.freeze(['config/feature_flags.json']) },
  host: { kind: nonEmptyStringOption, default: '127.0.0.1' },
  port: { kind: listenPortOption, env: 'FLAGD_PORT', default: 8013 },
  syncPort: { kind: listenPortOption, env: 'FLAGD_SYNC_PORT', default: 8015 },
  ofrepPort: { kind: listenPortOption, env: 'FLAGD_OFREP_PORT', default: 8016 },
  managementPort: { kind: listenPortOption, env: 'FLAGD_MANAGEMENT_PORT', default: 8014 },
  tlsCertPath: { kind: nonEmptyStringOption, env: 'FLAGD_SERVER_CERT_PATH' },
  tlsKeyPath: { kind: nonEmptyStringOption, env: 'FLAGD_SERVER_KEY_PATH' },
  tokenFile: { kind: nonEmptyStringOption },
  corsOrigins: { kind: originListOption, env: 'FLAGD_CORS_ORIGIN', default: Object.freeze(['*']) },
  contextValues: { kind: contextValuesOption, env: 'FLAGD_CONTEXT_VALUE', default: Object.freeze({}) },
  contextFromHeaders: { kind: headerPairsOption, env: 'FLAGD_CONTEXT_FROM_HEADER', default: Object.freeze({}) },
  maxRequestBodyBytes: { kind: byteCountOption, env: 'FLAGD_MAX_REQUEST_BODY', default: 1_000_000 },
  disableSyncMetadata: { kind: booleanOption, env: 'FLAGD_DISABLE_SYNC_METADATA', default: false },
  debounceMs: { kind: durationMsOption, default: 20 },
  startupGraceMs: { kind: durationMsOption, default: 5_000 },
  shutdownGraceMs: { kind: durationMsOption, default: 5_000 },
  store: { kind: nonEmptyStringOption, env: 'GENESIS_FLAGS_STORE' },
  flagSets: { kind: flagSetListOption, default: Object.freeze([DEFAULT_FLAG_SET_ID]) },
  presenceIntervalMs: { kind: intervalMsOption, default: 2_000 },
}) satisfies OptionTable<ServeOptions>;

export const SERVE_DEFAULTS = optionDefaults(SERVE_OPTIONS);

/** The environment variables flagd reads for the same settings. */
export const SERVE_VARIABLES = optionVariables(SERVE_OPTIONS);

const PORT_OPTIONS = ['port', 'syncPort', 'ofrepPort', 'managementPort'] as const;

/** The options as read: every one with a default in SERVE_OPTIONS is there. */
type ReadServeOptions = ServeOptions &
  Required<Omit<ServeOptions, 'tlsCertPath' | 'tlsKeyPath' | 'tokenFile' | 'store'>>;

/**
 * Resolves options once: defaults < environment < options. A bad environment value is warned about by
 * name and ignored; a bad option (from the command line), two ports on one number or an incomplete TLS
 * pair is an error.
 */
export function resolveServeConfig(
  options: ServeOptions,
  environment: EnvironmentSnapshot = process.env,
): ResultWithWarnings<ServeConfig> {
  const problem = findInvalidOption(options);
  if (problem !== undefined) return { ok: false, error: problem };
  const warnings: string[] = [];
  const merged = readOptions<ServeOptions>(SERVE_OPTIONS, options, environment, warnings) as ReadServeOptions;
  const store = resolveStore(merged, options.files !== undefined || (environment['FLAGD_URI'] ?? '') !== '');
  if (!store.ok) return store;
  const conflict = findConflict(store.value === undefined ? merged : { ...merged, files: ['store'] });
  if (conflict !== undefined) return { ok: false, error: conflict };
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

/** The first option given a value it does not accept, in the one phrasing of the option readers. */
function findInvalidOption(options: ServeOptions): string | undefined {
  const table: Readonly<Record<string, OptionSpec<unknown>>> = SERVE_OPTIONS;
  for (const [name, spec] of Object.entries(table)) {
    const value: unknown = options[name as keyof ServeOptions];
    if (value !== undefined && spec.kind.check(value) === undefined)
      return `Invalid ${unusableValue(name, describeOptionValue(value), spec.kind.expected)}`;
  }
  return undefined;
}

/** The store to serve from, if one is named; files named too are a conflict. */
function resolveStore(merged: ReadServeOptions, filesGiven: boolean): Result<ServeStoreConfig | undefined> {
  if (merged.store === undefined) return { ok: true, value: undefined };
  const location = parseStoreUrl(merged.store);
  if (!location.ok) return location;
  if (filesGiven)
    return { ok: false, error: 'Flags come from files or from a store, not both: drop the files or --store' };
  const flagSets = [...new Set(merged.flagSets)];
  for (const id of flagSets) {
    const parsed = parseFlagSetId(id);
    if (!parsed.ok) return parsed;
  }
  return {
    ok: true,
    value: Object.freeze({
      location: location.value,
      flagSets: Object.freeze(flagSets),
      presenceIntervalMs: merged.presenceIntervalMs,
    }),
  };
}

function findConflict(merged: ReadServeOptions): string | undefined {
  const taken = new Map<number, string>();
  for (const name of PORT_OPTIONS) {
    const port = merged[name];
    const other = taken.get(port);
    if (port !== 0 && other !== undefined) return `${other} and ${name} are both ${port}; each port needs its own`;
    taken.set(port, name);
  }
  if (merged.files.length === 0) return 'No flag files given';
  if ((merged.tlsCertPath === undefined) !== (merged.tlsKeyPath === undefined))
    return 'TLS needs both a certificate and a key (--server-cert-path and --server-key-path)';
  return undefined;
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
