import type { Result } from '../errors/result.js';

/**
 * The one place the store's key layout is defined (docs/STORE.md describes it). Every key starts with
 * `genesis-flags:{<flag set>}`: the braces are a Redis Cluster hash tag, so a flag set's keys live in
 * one slot and one Lua script may write them all.
 */
export const STORE_KEY_PREFIX = 'genesis-flags';

/** The flag set `push`, `pull` and `serve --store` use when none is named. */
export const DEFAULT_FLAG_SET_ID = 'default';

/** The keys of one flag set. */
export interface FlagSetKeys {
  /** Hash: `revision` (grows by one per write) and `document` (the flagd JSON document at that revision). */
  readonly set: string;
  /** Stream: one entry per write, id `<revision>-0`, with the change against the previous revision. */
  readonly log: string;
  /** Hash: replica id → the replica's presence JSON (`ReplicaPresence`), one field per live replica. */
  readonly replicas: string;
  /** Sorted set: replica id scored by when its presence expires (ms, by the store's clock). */
  readonly replicaExpiry: string;
}

/** The keys of flag set `flagSetId` (an id accepted by `parseFlagSetId`). */
export function flagSetKeys(flagSetId: string): FlagSetKeys {
  const base = `${STORE_KEY_PREFIX}:{${flagSetId}}`;
  return {
    set: `${base}:set`,
    log: `${base}:log`,
    replicas: `${base}:replicas`,
    replicaExpiry: `${base}:replicas:expiry`,
  };
}

/** Letters, digits, `.`, `_` and `-`, as a flag key: nothing that could break a key name or its hash tag. */
export function parseFlagSetId(text: string): Result<string> {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(text)
    ? { ok: true, value: text }
    : {
        ok: false,
        error: `Invalid flag set id "${text}": expected letters, digits, ".", "_" or "-" (at most 128, starting with a letter or digit)`,
      };
}
