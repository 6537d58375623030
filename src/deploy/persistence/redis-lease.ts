import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { StoreClient } from '../../store/connect-store.js';
import { DeployError } from '../deploy-error.js';
import type { HeldLock, LockAttempt, LockHolder } from '../state/lock-file.js';

/** The keys of a deployment's lease in the store. */
export interface LeaseKeys {
  /** Hash `epoch`, `fence`, `holder`, with a TTL: it exists exactly while the lease is held. */
  readonly lease: string;
  /** Counter: the last epoch handed out. It never expires, so a fencing token is never given twice. */
  readonly epoch: string;
  /** The last holder (JSON), kept after the lease expires, so a taker can say whose lease it took over. */
  readonly last: string;
}

export interface LeaseOptions {
  /** How long the lease lives without renewal; a leader that stops renewing loses it after this. */
  readonly ttlMs: number;
  /** How often the holder renews. @default a third of `ttlMs` */
  readonly renewEveryMs?: number;
}

/** Holders of a lease have tokens `lease:<random>`; a lock file's holder has its own kind. */
export const LEASE_TOKEN_PREFIX = 'lease:';

/**
 * The fencing token a fenced write carries: the epoch, and the holder's random token. The epoch alone
 * is not enough: a store flushed (the counter gone) or restored from an older copy hands out an epoch
 * again, and a holder from before must not pass for the new one.
 */
export function fenceOf(holder: LockHolder): string {
  return `${holder.epoch}:${holder.token}`;
}

/**
 * Takes the lease if nobody holds it: a new epoch from the counter, the holder and its fence
 * (`fenceOf`) written, the TTL set, in one step. The holder text is built here rather than by cjson,
 * which would reformat numbers.
 */
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, redis.call('HGET', KEYS[1], 'holder') or ''} end
local epoch = redis.call('INCR', KEYS[2])
local holder = ARGV[1] .. ',"epoch":' .. epoch .. '}'
local last = redis.call('GET', KEYS[3]) or ''
redis.call('HSET', KEYS[1], 'epoch', epoch, 'fence', epoch .. ':' .. ARGV[3], 'holder', holder)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[3], holder)
return {1, holder, last}`;

const RENEW = `
if redis.call('HGET', KEYS[1], 'fence') ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])`;

const RELEASE = `
if redis.call('HGET', KEYS[1], 'fence') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[2])
return 1`;

/**
 * The Lua lines that open every fenced write: `KEYS[1]` is the lease, `ARGV[1]` the writer's fence
 * (`fenceOf`). Checked in the same script as the write, so no other holder can come between check and write.
 */
export const FENCE_CHECK = `
local held = redis.call('HMGET', KEYS[1], 'epoch', 'fence')
if held[2] ~= ARGV[1] then
  local writer = string.match(ARGV[1], '^(%d+)')
  local other = held[1] == writer and ' of another holder (the store was flushed or restored)' or ''
  return redis.error_reply('FENCED lease epoch ' .. (held[1] or 'none') .. other .. ', writer ' .. writer)
end`;

/**
 * A lease in Redis with a short TTL, renewed while held. Its epoch is the fencing token every stage
 * write carries (see `FENCE_CHECK`): a holder paused past the TTL (a long GC, SIGSTOP, a partition)
 * finds on waking that the lease moved on, and its writes are refused by Redis itself.
 */
export async function tryAcquireLease(
  client: StoreClient,
  keys: LeaseKeys,
  command: string,
  nowMs: number,
  options: LeaseOptions,
): Promise<LockAttempt> {
  const token = `${LEASE_TOKEN_PREFIX}${randomUUID()}`;
  const base = { pid: process.pid, host: hostname(), since: new Date(nowMs).toISOString(), command, token };
  const prefix = JSON.stringify(base).slice(0, -1);
  const [acquired, holderText, lastText] = (await client.eval(
    ACQUIRE,
    3,
    keys.lease,
    keys.epoch,
    keys.last,
    prefix,
    String(options.ttlMs),
    token,
  )) as [number, string, string?];
  const holder = parseHolder(holderText);
  if (acquired !== 1) return { acquired: false, holder };
  if (holder === null) throw new DeployError('lock', `The lease ${keys.lease} holds no readable holder`);
  const last = parseHolder(lastText ?? '');
  const lock = holdLease(client, keys, holder, options);
  return { acquired: true, lock, tookOverFrom: last === null || last.released === true ? null : last };
}

/** Who holds the lease; a holder whose lease expired is reported as not alive (its lease is free to take). */
export async function readLeaseHolder(
  client: StoreClient,
  keys: LeaseKeys,
): Promise<{ holder: LockHolder; alive: boolean } | null> {
  const current = parseHolder((await client.hget(keys.lease, 'holder')) ?? '');
  if (current !== null) return { holder: current, alive: true };
  const last = parseHolder((await client.get(keys.last)) ?? '');
  return last === null || last.released === true ? null : { holder: last, alive: false };
}

function holdLease(client: StoreClient, keys: LeaseKeys, holder: LockHolder, options: LeaseOptions): HeldLock {
  const fence = fenceOf(holder);
  let lost = false;
  const renew = async (): Promise<void> => {
    const renewed = await client.eval(RENEW, 1, keys.lease, fence, String(options.ttlMs)).catch(() => null);
    // A failed call (Redis unreachable) is not a loss yet: the TTL decides, and writes are fenced anyway.
    if (renewed === 0) lost = true;
  };
  const timer = setInterval(() => void renew(), options.renewEveryMs ?? Math.max(1, Math.floor(options.ttlMs / 3)));
  timer.unref();
  return {
    holder,
    verify: async () => {
      const [heldEpoch, heldFence] = lost ? [null, null] : await client.hmget(keys.lease, 'epoch', 'fence');
      if (heldFence !== fence) {
        lost = true;
        clearInterval(timer);
        const reused = heldEpoch === String(holder.epoch) ? ' (another holder: the store was flushed or restored)' : '';
        throw new DeployError(
          'lock',
          `The lease moved on: this process held epoch ${holder.epoch}, it is now ${heldEpoch ?? 'free'}${reused}`,
        );
      }
    },
    release: async () => {
      clearInterval(timer);
      if (lost) return;
      const released = JSON.stringify({ ...holder, released: true });
      await client.eval(RELEASE, 2, keys.lease, keys.last, fence, released);
    },
  };
}

function parseHolder(text: string): LockHolder | null {
  if (text === '') return null;
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.epoch === 'number'
      ? (value as LockHolder)
      : null;
  } catch {
    return null;
  }
}
