import type { JsonValue } from '@openfeature/core';
import { parseBooleanWord, parseWholeNumber, readEnvVariable, type Environment } from '../flagd/read-env-variable.js';
import { withoutUndefined } from '../flagd/without-undefined.js';

/** Options of the sync server (`genesis-flags serve`); every one is optional. */
export interface ServeOptions {
  /** Flag files, Genesis or flagd format, JSON or YAML; later files win per key. @default ['config/feature_flags.json'] */
  readonly files?: readonly string[];
  /** Interface both ports bind to. @default '127.0.0.1' */
  readonly host?: string;
  /** gRPC port of flagd.sync.v1 and grpc.health.v1; 0 picks a free one. @default 8015 */
  readonly port?: number;
  /** HTTP port of /healthz, /readyz and /metrics; 0 picks a free one. @default 8014 */
  readonly managementPort?: number;
  /** PEM certificate chain; with `tlsKeyPath`, the sync port speaks TLS. */
  readonly tlsCertPath?: string;
  /** PEM private key of `tlsCertPath`. */
  readonly tlsKeyPath?: string;
  /** File whose trimmed content is the bearer token every sync call must present. */
  readonly tokenFile?: string;
  /** Static context sent to every subscriber as `sync_context` (flagd's `--context-value`). @default {} */
  readonly contextValues?: Readonly<Record<string, JsonValue>>;
  /** Answer the deprecated GetMetadata with UNIMPLEMENTED. @default false */
  readonly disableSyncMetadata?: boolean;
  /** Quiet period after a file change before it is re-read. @default 20 */
  readonly debounceMs?: number;
  /** How long subscribers wait for every file before they get the files that did load. @default 5000 (flagd's) */
  readonly startupGraceMs?: number;
  /** How long shutdown waits for connections to finish. @default 5000 */
  readonly shutdownGraceMs?: number;
}

export interface ServeConfig {
  readonly files: readonly string[];
  readonly host: string;
  readonly port: number;
  readonly managementPort: number;
  readonly tls: { readonly certPath: string; readonly keyPath: string } | undefined;
  readonly tokenFile: string | undefined;
  readonly contextValues: Readonly<Record<string, JsonValue>>;
  readonly disableSyncMetadata: boolean;
  readonly debounceMs: number;
  readonly startupGraceMs: number;
  readonly shutdownGraceMs: number;
}

export const SERVE_DEFAULTS = Object.freeze({
  files: Object.freeze(['config/feature_flags.json']),
  host: '127.0.0.1',
  port: 8015,
  managementPort: 8014,
  contextValues: Object.freeze({}),
  disableSyncMetadata: false,
  debounceMs: 20,
  startupGraceMs: 5_000,
  shutdownGraceMs: 5_000,
});

/**
 * The environment variables flagd reads for the same settings. flagd's FLAGD_PORT is its evaluation
 * port, which this server does not have; FLAGD_SYNC_PORT wins, and FLAGD_PORT is accepted after it
 * because the providers read that name for the sync port, so one environment can configure both ends.
 */
export const SERVE_VARIABLES = Object.freeze({
  files: 'FLAGD_URI',
  port: ['FLAGD_SYNC_PORT', 'FLAGD_PORT'],
  managementPort: 'FLAGD_MANAGEMENT_PORT',
  tlsCertPath: 'FLAGD_SERVER_CERT_PATH',
  tlsKeyPath: 'FLAGD_SERVER_KEY_PATH',
  contextValues: 'FLAGD_CONTEXT_VALUE',
  disableSyncMetadata: 'FLAGD_DISABLE_SYNC_METADATA',
});

export type ServeConfigOutcome =
  | { readonly ok: true; readonly value: ServeConfig; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };

/**
 * Resolves options once: defaults < environment < options. A bad environment value is warned about by
 * name and ignored; a bad option (from the command line) or an incomplete TLS pair is an error.
 */
export function resolveServeConfig(options: ServeOptions, environment: Environment = process.env): ServeConfigOutcome {
  const warnings: string[] = [];
  const env = readEnvironment(environment, warnings);
  const merged = { ...SERVE_DEFAULTS, ...env, ...withoutUndefined(options) };
  for (const name of ['port', 'managementPort'] as const) {
    if (!isPort(merged[name]))
      return { ok: false, error: `Invalid ${name}: ${String(merged[name])} (expected 0-65535)` };
  }
  if (merged.files.length === 0) return { ok: false, error: 'No flag files given' };
  if ((merged.tlsCertPath === undefined) !== (merged.tlsKeyPath === undefined)) {
    return { ok: false, error: 'TLS needs both a certificate and a key (--tls-cert and --tls-key)' };
  }
  const tls =
    merged.tlsCertPath !== undefined && merged.tlsKeyPath !== undefined
      ? { certPath: merged.tlsCertPath, keyPath: merged.tlsKeyPath }
      : undefined;
  const value: ServeConfig = Object.freeze({
    files: Object.freeze([...merged.files]),
    host: merged.host,
    port: merged.port,
    managementPort: merged.managementPort,
    tls,
    tokenFile: merged.tokenFile,
    contextValues: merged.contextValues,
    disableSyncMetadata: merged.disableSyncMetadata,
    debounceMs: merged.debounceMs,
    startupGraceMs: merged.startupGraceMs,
    shutdownGraceMs: merged.shutdownGraceMs,
  });
  return { ok: true, value, warnings };
}

function readEnvironment(environment: Environment, warnings: string[]): ServeOptions {
  const read = <T>(variable: string, parse: (text: string) => T | undefined, expected: string): T | undefined =>
    readEnvVariable(environment, variable, parse, expected, warnings);
  const port = SERVE_VARIABLES.port
    .map((name) => read(name, parsePort, 'a port number'))
    .find((value) => value !== undefined);
  return withoutUndefined({
    files: read(SERVE_VARIABLES.files, parseFileUris, 'file paths or file: URIs, comma-separated'),
    port,
    managementPort: read(SERVE_VARIABLES.managementPort, parsePort, 'a port number'),
    tlsCertPath: read(SERVE_VARIABLES.tlsCertPath, (text) => text, 'a path'),
    tlsKeyPath: read(SERVE_VARIABLES.tlsKeyPath, (text) => text, 'a path'),
    contextValues: read(SERVE_VARIABLES.contextValues, parseKeyValues, 'key=value pairs, comma-separated'),
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

/** flagd's FLAGD_URI lists sources; only files (bare paths or `file:` URIs) are served here. */
function parseFileUris(text: string): string[] | undefined {
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
