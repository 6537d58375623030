import type { StoreClient } from './connect-store.js';
import { flagSetKeys } from './store-keys.js';

/** Who a `serve --store` replica is. */
export interface ReplicaIdentity {
  /** `<host>-<pid>-<random>`: unique even when a container's pid repeats after a restart. */
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
}

/** How far a replica's sync streams are with the flag set it serves. */
export interface ReplicaDelivery {
  /** The set's revision the replica serves; 0 before it has loaded the set. */
  readonly revision: number;
  /** Open flagd.sync streams. */
  readonly streams: number;
  /** Of those, the ones that have been sent `revision` (or were already current with it). */
  readonly streamsAtRevision: number;
}

/** One replica's presence in one flag set, as stored and as read. */
export interface ReplicaPresence extends ReplicaIdentity, ReplicaDelivery {
  readonly flagSet: string;
  /** When the replica last wrote this record. */
  readonly updatedAt: string;
}

/**
 * Writes the record and its expiry in one script, by the store's clock (so replicas with skewed
 * clocks agree), and drops the records of replicas whose expiry passed: a replica that died without
 * withdrawing stays listed until then, and no longer.
 */
const PUBLISH = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, id in ipairs(expired) do redis.call('HDEL', KEYS[1], id) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
return 1`;

/** The live records: those whose expiry lies ahead by the store's clock. */
const READ_LIVE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. now, '+inf')
if #ids == 0 then return {} end
return redis.call('HMGET', KEYS[1], unpack(ids))`;

/** Publishes (or refreshes) a replica's presence in `flagSet` for `ttlMs`. */
export async function publishPresence(
  client: StoreClient,
  flagSet: string,
  identity: ReplicaIdentity,
  delivery: ReplicaDelivery,
  ttlMs: number,
  nowMs: number,
): Promise<void> {
  const keys = flagSetKeys(flagSet);
  const record: ReplicaPresence = { ...identity, flagSet, ...delivery, updatedAt: new Date(nowMs).toISOString() };
  await client.eval(PUBLISH, 2, keys.replicas, keys.replicaExpiry, identity.id, JSON.stringify(record), String(ttlMs));
}

/** Removes a replica's presence from `flagSet` (a clean shutdown). */
export async function withdrawPresence(client: StoreClient, flagSet: string, id: string): Promise<void> {
  const keys = flagSetKeys(flagSet);
  await client.multi().hdel(keys.replicas, id).zrem(keys.replicaExpiry, id).exec();
}

/** The replicas live in `flagSet` now, ordered by host and pid; unreadable records are skipped. */
export async function readLiveReplicas(client: StoreClient, flagSet: string): Promise<ReplicaPresence[]> {
  const keys = flagSetKeys(flagSet);
  const texts = (await client.eval(READ_LIVE, 2, keys.replicas, keys.replicaExpiry)) as (string | null)[];
  return texts
    .flatMap((text) => {
      const record = parsePresence(text);
      return record === undefined ? [] : [record];
    })
    .sort((a, b) => a.host.localeCompare(b.host) || a.pid - b.pid || a.id.localeCompare(b.id));
}

function parsePresence(text: string | null): ReplicaPresence | undefined {
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<ReplicaPresence>;
    const numbers = [value.pid, value.revision, value.streams, value.streamsAtRevision];
    return typeof value.id === 'string' && typeof value.host === 'string' && numbers.every(Number.isInteger)
      ? (value as ReplicaPresence)
      : undefined;
  } catch {
    return undefined;
  }
}
