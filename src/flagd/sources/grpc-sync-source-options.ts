import type { Logger } from '@openfeature/core';
import {
  booleanOption,
  nonEmptyStringOption,
  optionKind,
  portOption,
  secondsAsMsOption,
  stringOption,
  trimmedStringOption,
  wholeNumberOption,
} from '../../options/option-kind.js';
import {
  describeOptionValue,
  optionDefaults,
  unusableValue,
  type OptionSpec,
  type OptionTable,
} from '../../options/read-options.js';
import { withoutUndefined } from '../without-undefined.js';
import { GRPC_STATUS_NAMES, grpcStatusCode } from './grpc-status-names.js';
import type { Timers } from '../../system/timers.js';

/**
 * Where and how to subscribe over flagd's sync protocol (`genesis-flags serve`, or flagd itself): the
 * provider's `sync` option, and the settings of a `GrpcSyncSource`. Every field is optional.
 */
export interface GrpcSyncOptions {
  /** Host of the sync server. @default 'localhost' */
  readonly host?: string;
  /** Port of the sync server. @default 8015 */
  readonly port?: number;
  /** Connect with TLS. @default false */
  readonly tls?: boolean;
  /** PEM file of the CA that signed the server's certificate; the system roots when absent. @default none */
  readonly caCertPath?: string;
  /**
   * Which flags to receive: `source=<file>`, `flagSetId=<id>`, or a bare file name; sent in the
   * `flagd-selector` header and the request field. @default none (every flag)
   */
  readonly selector?: string;
  /** Sent as `authorization: Bearer <token>` on every call (`genesis-flags serve --token-file`). @default none */
  readonly token?: string;
  /** File keeping the last payload, so an instance can start from it while the server is away. @default none */
  readonly cachePath?: string;
  /** Names this instance in the server's logs. @default 'genesis-flags' */
  readonly providerId?: string;
  /** How long one connection attempt may take. @default 2000 */
  readonly connectTimeoutMs?: number;
  /**
   * Each stream's deadline; the source reconnects quietly when it passes, which recycles streams that a
   * proxy silently dropped. 0 disables it. @default 600000 (the official flagd provider's)
   */
  readonly streamDeadlineMs?: number;
  /** First wait before reconnecting; doubles per failed attempt, with jitter. @default 500 */
  readonly initialBackoffMs?: number;
  /** Longest wait before reconnecting. @default 5000 (flagd's retryBackoffMaxMs) */
  readonly maxBackoffMs?: number;
  /** After a stream loss, how long `stale` (PROVIDER_STALE) lasts before `failed` (PROVIDER_ERROR). @default 5000 */
  readonly retryGracePeriodMs?: number;
  /**
   * HTTP/2 keepalive ping interval; 0 disables it. Off by default because a flagd (Go) server answers
   * pings more frequent than its keep-alive-min-time with GOAWAY. @default 0
   */
  readonly keepAliveTimeMs?: number;
  /** Largest payload accepted, in bytes. @default 67108864 (64 MiB; gRPC's own default is 4 MiB) */
  readonly maxPayloadBytes?: number;
  /**
   * gRPC status names (`PERMISSION_DENIED`, `UNAUTHENTICATED`, ...) that are final when the first
   * subscription ends with one: the source stops retrying and fails with a `FatalSyncError`, as flagd's
   * providers do with the same option. Later losses are always retried. @default []
   */
  readonly fatalStatusCodes?: readonly string[];
}

const statusNamesOption = optionKind<readonly string[]>(
  `gRPC status names (${GRPC_STATUS_NAMES.join(', ')})`,
  (value) =>
    Array.isArray(value) && value.every((name) => typeof name === 'string' && grpcStatusCode(name) !== undefined)
      ? Object.freeze([...(value as string[])])
      : undefined,
  // Comma-separated, blanks dropped, as flagd's providers read FLAGD_FATAL_STATUS_CODES.
  (text) =>
    text
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
);

/**
 * The sync settings, each declared once: the variables are the official flagd providers' where they
 * have the setting, so one environment configures both (FLAGD_SYNC_PORT wins over FLAGD_PORT;
 * FLAGD_RETRY_GRACE_PERIOD is in seconds, as theirs). The order is README's.
 */
export const GRPC_SYNC_OPTIONS = Object.freeze({
  host: { kind: nonEmptyStringOption, env: 'FLAGD_HOST', default: 'localhost' },
  port: { kind: portOption, env: ['FLAGD_SYNC_PORT', 'FLAGD_PORT'], default: 8015 },
  tls: { kind: booleanOption, env: 'FLAGD_TLS', default: false },
  caCertPath: { kind: nonEmptyStringOption, env: 'FLAGD_SERVER_CERT_PATH' },
  selector: { kind: stringOption, env: 'FLAGD_SOURCE_SELECTOR' },
  token: { kind: trimmedStringOption, env: 'GENESIS_FLAGS_SYNC_TOKEN' },
  cachePath: { kind: nonEmptyStringOption, env: 'GENESIS_FLAGS_SYNC_CACHE_PATH' },
  providerId: { kind: stringOption, default: 'genesis-flags' },
  connectTimeoutMs: { kind: wholeNumberOption, env: 'FLAGD_DEADLINE_MS', default: 2_000 },
  streamDeadlineMs: { kind: wholeNumberOption, env: 'FLAGD_STREAM_DEADLINE_MS', default: 600_000 },
  initialBackoffMs: { kind: wholeNumberOption, env: 'FLAGD_RETRY_BACKOFF_MS', default: 500 },
  maxBackoffMs: { kind: wholeNumberOption, env: 'FLAGD_RETRY_BACKOFF_MAX_MS', default: 5_000 },
  retryGracePeriodMs: { kind: secondsAsMsOption, env: 'FLAGD_RETRY_GRACE_PERIOD', default: 5_000 },
  keepAliveTimeMs: { kind: wholeNumberOption, env: 'FLAGD_KEEP_ALIVE_TIME_MS', default: 0 },
  maxPayloadBytes: { kind: wholeNumberOption, default: 64 * 1024 * 1024 },
  fatalStatusCodes: { kind: statusNamesOption, env: 'FLAGD_FATAL_STATUS_CODES', default: Object.freeze([]) },
}) satisfies OptionTable<GrpcSyncOptions>;

/** Options of a gRPC sync source: the sync settings with the address given, and what tests inject. */
export type GrpcSyncSourceOptions = GrpcSyncOptions & {
  readonly host: string;
  readonly port: number;
  readonly logger?: Logger;
  /** Randomness for backoff jitter, returning [0, 1). @default Math.random */
  readonly random?: () => number;
  readonly timers?: Timers;
  /** Wall clock for gRPC deadlines. @default Date.now */
  readonly now?: () => number;
};

type Unset = 'caCertPath' | 'selector' | 'token' | 'cachePath' | 'logger';
export type GrpcSyncSourceConfig = Required<Omit<GrpcSyncSourceOptions, Unset>> & Pick<GrpcSyncSourceOptions, Unset>;

/** Fills in defaults and checks every setting, naming the first bad one. */
export function resolveGrpcSyncConfig(options: GrpcSyncSourceOptions, timers: Timers): GrpcSyncSourceConfig {
  const table: Readonly<Record<string, OptionSpec<unknown>>> = GRPC_SYNC_OPTIONS;
  for (const [name, spec] of Object.entries(table)) {
    const value: unknown = options[name as keyof GrpcSyncOptions];
    if (value !== undefined && spec.kind.check(value) === undefined)
      throw new RangeError(
        `Invalid gRPC sync option ${unusableValue(name, describeOptionValue(value), spec.kind.expected)}`,
      );
  }
  return Object.freeze({
    ...optionDefaults(GRPC_SYNC_OPTIONS),
    random: Math.random,
    now: Date.now,
    timers,
    ...withoutUndefined(options),
  }) as GrpcSyncSourceConfig;
}
