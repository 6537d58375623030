import { createRequire } from 'node:module';
import type * as IoRedis from 'ioredis';
import type { Redis } from 'ioredis';
import { describeError } from '../errors/describe-error.js';
import type { Result } from '../errors/result.js';
import type { StoreLocation } from './store-url.js';

/** The Redis client every store module takes: ioredis's, so Sentinel, TLS and Lua come from one maintained library. */
export type StoreClient = Redis;

export interface StoreClientOptions {
  /**
   * Reconnect for ever with a capped backoff (a server following the store) rather than stay
   * disconnected (a command such as `push`, which should exit). Either way a command sent while the
   * connection is down fails at once. @default false
   */
  readonly reconnect?: boolean;
  /** Longest wait for a connection before it counts as failed. @default 5000 */
  readonly connectTimeoutMs?: number;
  /** Name shown by `CLIENT LIST`, so an operator can tell the replicas' connections apart. */
  readonly connectionName?: string;
}

/** Longest pause between two reconnection attempts of a following server. */
export const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * Creates a client for the store at `location`, not yet connected (`connectStore` connects it). Errors
 * reach the caller through rejected commands; the client's `error` events are absorbed here, since
 * ioredis emits one per failed reconnection attempt and an unheard one would end the process.
 */
export function createStoreClient(location: StoreLocation, options: StoreClientOptions = {}): StoreClient {
  const reconnect = options.reconnect ?? false;
  const retryStrategy = (attempt: number): number | null =>
    reconnect ? Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS) : null;
  const common = {
    lazyConnect: true,
    db: location.db,
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    ...(location.username === undefined ? {} : { username: location.username }),
    ...(location.password === undefined ? {} : { password: location.password }),
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
    // Commands fail at once while the connection is down, never queued or resent later: a command line
    // exits with the reason, and a follower sees the loss, waits for 'ready' and reads the snapshot again.
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    retryStrategy,
  };
  // ioredis takes about 0.4 CPU-s to load: loaded by the first client, so that a command or a server
  // with no --store, which imports this module all the same, never pays for it.
  const { Redis } = createRequire(import.meta.url)('ioredis') as typeof IoRedis;
  const client =
    location.kind === 'sentinel'
      ? new Redis({
          ...common,
          sentinels: location.nodes.map((node) => ({ host: node.host, port: node.port })),
          name: location.masterName ?? '',
          ...(location.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
          sentinelRetryStrategy: retryStrategy,
        })
      : new Redis({
          ...common,
          host: location.nodes[0]?.host ?? '127.0.0.1',
          port: location.nodes[0]?.port ?? 6379,
          ...(location.tls ? { tls: {} } : {}),
        });
  client.on('error', () => {});
  return client;
}

/**
 * Connects `client` and checks the store answers, or says why not, naming the URL (password redacted).
 * On failure the client is disconnected, so a command can exit.
 */
export async function connectStore(client: StoreClient, location: StoreLocation): Promise<Result<StoreClient>> {
  // The rejection only says "Connection is closed"; the socket's own error (ECONNREFUSED, a TLS or
  // auth failure) arrives as an event first.
  let socketError: unknown;
  const remember = (error: unknown): void => void (socketError = error);
  client.on('error', remember);
  try {
    await client.connect();
    await client.ping();
    return { ok: true, value: client };
  } catch (error) {
    client.disconnect();
    return { ok: false, error: describeStoreFailure(location, socketError ?? error) };
  } finally {
    client.off('error', remember);
  }
}

/** A store failure as one line naming the store: `Store redis://…@host:6379/0: connect ECONNREFUSED …`. */
export function describeStoreFailure(location: StoreLocation, error: unknown): string {
  return `Store ${location.redacted}: ${isConnectionDrop(error) ? 'connection lost' : describeError(error)}`;
}

/** ioredis's words for "the socket closed under a command", which say nothing to an operator. */
function isConnectionDrop(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'MaxRetriesPerRequestError' || error.message === 'Connection is closed.';
}
