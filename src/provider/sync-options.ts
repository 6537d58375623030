import { GRPC_SYNC_DEFAULTS } from '../flagd/sources/grpc-sync-source-options.js';
import { GRPC_SYNC_VARIABLES, readGrpcSyncEnvironment } from '../flagd/sources/grpc-sync-environment.js';
import type { EnvironmentSnapshot } from '../loading/env-overrides.js';
import {
  checkBoolean,
  checkNonEmptyString,
  checkNonNegativeInteger,
  checkPort,
  checkStatusNames,
  checkString,
  pickOption,
  unknownOptionWarnings,
  type Check,
} from './option-checks.js';

/**
 * The `sync` option: where the provider subscribes for flags over flagd's sync protocol
 * (`genesis-flags serve`, or flagd itself). Every field is optional.
 */
export interface GenesisSyncOptions {
  /** Host of the sync server. @default 'localhost' */
  readonly host?: string;
  /** Port of the sync server. @default 8015 */
  readonly port?: number;
  /** Connect with TLS. @default false */
  readonly tls?: boolean;
  /** PEM file of the CA that signed the server's certificate; the system roots when absent. @default none */
  readonly caCertPath?: string;
  /** Which flags to receive: `source=<file>`, `flagSetId=<id>`, or a bare file name. @default none (every flag) */
  readonly selector?: string;
  /** Sent as `authorization: Bearer <token>` (`genesis-flags serve --token-file`). @default none */
  readonly token?: string;
  /** File keeping the last payload, so an instance can start from it while the server is away. @default none */
  readonly cachePath?: string;
  /** Names this instance in the server's logs. @default 'genesis-flags' */
  readonly providerId?: string;
  /** How long one connection attempt may take. @default 2000 */
  readonly connectTimeoutMs?: number;
  /** Each stream's deadline, after which it is quietly re-opened; 0 for none. @default 600000 */
  readonly streamDeadlineMs?: number;
  /** First wait before reconnecting; doubles per failed attempt, with jitter. @default 500 */
  readonly initialBackoffMs?: number;
  /** Longest wait before reconnecting. @default 5000 */
  readonly maxBackoffMs?: number;
  /** How long a lost stream is PROVIDER_STALE before PROVIDER_ERROR. @default 5000 */
  readonly retryGracePeriodMs?: number;
  /** HTTP/2 keepalive ping interval; 0 for none. @default 0 */
  readonly keepAliveTimeMs?: number;
  /** Largest payload accepted, in bytes. @default 67108864 */
  readonly maxPayloadBytes?: number;
  /** gRPC status names that are final on the first connection (PROVIDER_FATAL, no retry), e.g. `['PERMISSION_DENIED']`. @default [] */
  readonly fatalStatusCodes?: readonly string[];
}

/** The sync settings the provider runs with: every default filled in. */
export type ResolvedSyncConfig = Readonly<
  Required<Omit<GenesisSyncOptions, 'caCertPath' | 'selector' | 'token' | 'cachePath'>> &
    Pick<GenesisSyncOptions, 'caCertPath' | 'selector' | 'token' | 'cachePath'>
>;

export const SYNC_DEFAULTS = Object.freeze({ host: 'localhost', port: 8015, ...GRPC_SYNC_DEFAULTS });

/**
 * The environment variable of each sync option: the official flagd providers' names where they have
 * the setting (FLAGD_SYNC_PORT wins over FLAGD_PORT; FLAGD_RETRY_GRACE_PERIOD is in seconds, as theirs).
 */
export const SYNC_OPTION_VARIABLES: Readonly<Partial<Record<keyof GenesisSyncOptions, string>>> = Object.freeze({
  host: GRPC_SYNC_VARIABLES.host,
  port: GRPC_SYNC_VARIABLES.port.join(', '),
  tls: GRPC_SYNC_VARIABLES.tls,
  caCertPath: GRPC_SYNC_VARIABLES.caCertPath,
  selector: GRPC_SYNC_VARIABLES.selector,
  token: 'GENESIS_FLAGS_SYNC_TOKEN',
  cachePath: 'GENESIS_FLAGS_SYNC_CACHE_PATH',
  connectTimeoutMs: GRPC_SYNC_VARIABLES.connectTimeoutMs,
  streamDeadlineMs: GRPC_SYNC_VARIABLES.streamDeadlineMs,
  initialBackoffMs: GRPC_SYNC_VARIABLES.initialBackoffMs,
  maxBackoffMs: GRPC_SYNC_VARIABLES.maxBackoffMs,
  retryGracePeriodMs: GRPC_SYNC_VARIABLES.retryGracePeriodMs,
  keepAliveTimeMs: GRPC_SYNC_VARIABLES.keepAliveTimeMs,
  fatalStatusCodes: GRPC_SYNC_VARIABLES.fatalStatusCodes,
});

/** Every sync option name, in the order README's sync table lists them. */
export const SYNC_OPTION_NAMES: readonly (keyof GenesisSyncOptions)[] = Object.freeze([
  'host',
  'port',
  'tls',
  'caCertPath',
  'selector',
  'token',
  'cachePath',
  'providerId',
  'connectTimeoutMs',
  'streamDeadlineMs',
  'initialBackoffMs',
  'maxBackoffMs',
  'retryGracePeriodMs',
  'keepAliveTimeMs',
  'maxPayloadBytes',
  'fatalStatusCodes',
]);

/** The variables whose presence alone selects sync mode when no option says which mode to use. */
export const SYNC_MODE_VARIABLES: readonly string[] = Object.freeze([
  GRPC_SYNC_VARIABLES.host,
  ...GRPC_SYNC_VARIABLES.port,
  GRPC_SYNC_VARIABLES.selector,
]);

const CHECKS: Readonly<Record<keyof GenesisSyncOptions, Check<unknown>>> = {
  host: checkNonEmptyString,
  port: checkPort,
  tls: checkBoolean,
  caCertPath: checkNonEmptyString,
  selector: checkString,
  token: checkNonEmptyString,
  cachePath: checkNonEmptyString,
  providerId: checkString,
  connectTimeoutMs: checkNonNegativeInteger,
  streamDeadlineMs: checkNonNegativeInteger,
  initialBackoffMs: checkNonNegativeInteger,
  maxBackoffMs: checkNonNegativeInteger,
  retryGracePeriodMs: checkNonNegativeInteger,
  keepAliveTimeMs: checkNonNegativeInteger,
  maxPayloadBytes: checkNonNegativeInteger,
  fatalStatusCodes: checkStatusNames,
};

/**
 * Resolves the sync settings: defaults < environment variables < the option's fields. A bad field or
 * variable is warned about by name and the next source is used.
 */
export function resolveSyncConfig(
  options: GenesisSyncOptions,
  environment: EnvironmentSnapshot,
  warnings: string[],
): ResolvedSyncConfig {
  const fromEnvironment = readSyncEnvironment(environment, warnings);
  const resolved: Record<string, unknown> = { ...SYNC_DEFAULTS, ...fromEnvironment };
  for (const name of SYNC_OPTION_NAMES) {
    const value = pickOption(options[name], `sync.${name}`, CHECKS[name], warnings);
    if (value !== undefined) resolved[name] = value;
  }
  warnings.push(...unknownOptionWarnings(options, SYNC_OPTION_NAMES, 'sync option'));
  return Object.freeze(resolved) as ResolvedSyncConfig;
}

/** The flagd variables the official providers read, plus ours for the token and the cache file. */
function readSyncEnvironment(environment: EnvironmentSnapshot, warnings: string[]): Partial<GenesisSyncOptions> {
  const flagd = readGrpcSyncEnvironment(environment);
  warnings.push(...flagd.warnings);
  const {
    host,
    tls,
    caCertPath,
    selector,
    connectTimeoutMs,
    streamDeadlineMs,
    initialBackoffMs,
    maxBackoffMs,
    retryGracePeriodMs,
    keepAliveTimeMs,
    fatalStatusCodes,
  } = flagd.options;
  const port =
    flagd.options.port === undefined
      ? undefined
      : pickOption(flagd.options.port, `environment variable ${SYNC_OPTION_VARIABLES.port}`, checkPort, warnings);
  const ours = {
    token: environment['GENESIS_FLAGS_SYNC_TOKEN'],
    cachePath: environment['GENESIS_FLAGS_SYNC_CACHE_PATH'],
  };
  const entries = Object.entries({
    host,
    port,
    tls,
    caCertPath,
    selector,
    connectTimeoutMs,
    streamDeadlineMs,
    initialBackoffMs,
    maxBackoffMs,
    retryGracePeriodMs,
    keepAliveTimeMs,
    fatalStatusCodes,
    token: ours.token?.trim(),
    cachePath: ours.cachePath,
  });
  return Object.fromEntries(
    entries.filter(([, value]) => value !== undefined && value !== ''),
  ) as Partial<GenesisSyncOptions>;
}
