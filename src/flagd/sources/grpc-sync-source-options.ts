import type { Logger } from '@openfeature/core';
import { withoutUndefined } from '../without-undefined.js';
import { grpcStatusCode } from './grpc-status-names.js';
import type { Timers } from '../../system/timers.js';

/** Options of a gRPC sync source; everything but the address has a default. */
export interface GrpcSyncSourceOptions {
  readonly host: string;
  readonly port: number;
  /** Connect with TLS. @default false */
  readonly tls?: boolean;
  /** PEM file of the CA that signed the server's certificate; the system roots when absent. */
  readonly caCertPath?: string;
  /** Selector expression, sent in the `flagd-selector` header and the request field. */
  readonly selector?: string;
  /** Sent as `authorization: Bearer <token>` on every call. */
  readonly token?: string;
  /** Identifies this subscriber in the server's logs. @default 'genesis-flags' */
  readonly providerId?: string;
  /** First reconnect wait; doubles per failed attempt. @default 500 */
  readonly initialBackoffMs?: number;
  /** Longest reconnect wait. @default 5000 (flagd's retryBackoffMaxMs) */
  readonly maxBackoffMs?: number;
  /** After a stream loss, how long `stale` may last before `failed`. @default 5000 (flagd's retryGracePeriod) */
  readonly retryGracePeriodMs?: number;
  /** How long one connection attempt may take. @default 2000 */
  readonly connectTimeoutMs?: number;
  /**
   * Each stream's deadline; the source reconnects quietly when it passes, which recycles streams that a
   * proxy silently dropped. 0 disables it. @default 600000 (the official flagd provider's)
   */
  readonly streamDeadlineMs?: number;
  /**
   * Client keepalive ping interval; 0 disables it. Off by default because a flagd (Go) server answers
   * pings more frequent than its keep-alive-min-time with GOAWAY. @default 0
   */
  readonly keepAliveTimeMs?: number;
  /** Largest payload accepted. @default 67108864 (64 MiB; gRPC's own default is 4 MiB) */
  readonly maxPayloadBytes?: number;
  /**
   * gRPC status names (`PERMISSION_DENIED`, `UNAUTHENTICATED`, ...) that are final when the first
   * subscription ends with one: the source stops retrying and fails with a `FatalSyncError`, as flagd's
   * providers do with the same option. Later losses are always retried. @default []
   */
  readonly fatalStatusCodes?: readonly string[];
  /** File keeping the last payload, used at start when the server cannot be reached. */
  readonly cachePath?: string;
  readonly logger?: Logger;
  /** Randomness for backoff jitter, returning [0, 1). @default Math.random */
  readonly random?: () => number;
  readonly timers?: Timers;
  /** Wall clock for gRPC deadlines. @default Date.now */
  readonly now?: () => number;
}

export type GrpcSyncSourceConfig = Required<
  Omit<GrpcSyncSourceOptions, 'caCertPath' | 'selector' | 'token' | 'cachePath' | 'logger'>
> &
  Pick<GrpcSyncSourceOptions, 'caCertPath' | 'selector' | 'token' | 'cachePath' | 'logger'>;

export const GRPC_SYNC_DEFAULTS = {
  tls: false,
  providerId: 'genesis-flags',
  initialBackoffMs: 500,
  maxBackoffMs: 5_000,
  retryGracePeriodMs: 5_000,
  connectTimeoutMs: 2_000,
  streamDeadlineMs: 600_000,
  keepAliveTimeMs: 0,
  maxPayloadBytes: 64 * 1024 * 1024,
  fatalStatusCodes: Object.freeze([]) as readonly string[],
} as const;

/** Fills in defaults and checks the numbers, naming the first bad option. */
export function resolveGrpcSyncConfig(options: GrpcSyncSourceOptions, timers: Timers): GrpcSyncSourceConfig {
  const config: GrpcSyncSourceConfig = {
    ...GRPC_SYNC_DEFAULTS,
    random: Math.random,
    now: Date.now,
    timers,
    ...withoutUndefined(options),
    host: options.host,
    port: options.port,
  };
  for (const key of [
    'port',
    'initialBackoffMs',
    'maxBackoffMs',
    'retryGracePeriodMs',
    'connectTimeoutMs',
    'streamDeadlineMs',
    'keepAliveTimeMs',
    'maxPayloadBytes',
  ] as const) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(`Invalid gRPC sync option ${key}: ${String(value)} (expected a non-negative integer)`);
  }
  const unknown = config.fatalStatusCodes.filter((name) => grpcStatusCode(name) === undefined);
  if (unknown.length > 0)
    throw new RangeError(
      `Invalid gRPC sync option fatalStatusCodes: ${unknown.join(', ')} (expected gRPC status names such as PERMISSION_DENIED)`,
    );
  return Object.freeze(config);
}
