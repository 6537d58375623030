import { createHash } from 'node:crypto';
import type { FlagStore } from '../../flagd/flag-store.js';
import { selectorKey, type FlagSelector } from '../../flagd/sync/selector.js';
import type { SelectionStores } from '../evaluation/selection-stores.js';
import { BulkEtagMemo } from './bulk-etag-memo.js';

/** What the answers of a selection depend on besides the context. */
export interface SelectionDigest {
  /**
   * Digest of every selected flag's definition (keys and fingerprints): equal digests mean equal answers
   * for equal contexts and times, on this server or any other serving the same files.
   */
  readonly digest: string;
  /** Whether some rule reads `$flagd.timestamp`, so answers may change with time alone. */
  readonly timeDependent: boolean;
  /** The bulk ETags already computed for this digest (the one mutable part: a cache that dies with the digest). */
  readonly etags: BulkEtagMemo;
}

/**
 * The digest of each selection in use, computed once per change of its flags (not per request), so a
 * bulk request can be answered 304 without evaluating anything.
 */
export class SelectionDigests {
  readonly #stores: SelectionStores;
  readonly #digests = new Map<string, SelectionDigest | undefined>();

  constructor(stores: SelectionStores) {
    this.#stores = stores;
  }

  /** The selection's digest; `store` is its current flags, as `SelectionStores.store` gave them. */
  of(selector: FlagSelector, store: FlagStore): SelectionDigest {
    const key = selectorKey(selector);
    if (!this.#digests.has(key)) {
      this.#digests.set(key, undefined);
      this.#stores.onChange(selector, () => this.#digests.set(key, undefined));
    }
    let digest = this.#digests.get(key);
    if (digest === undefined) {
      digest = digestOf(store);
      this.#digests.set(key, digest);
    }
    return digest;
  }
}

function digestOf(store: FlagStore): SelectionDigest {
  const hash = createHash('sha256');
  let timeDependent = false;
  for (const key of store.keys().sort()) {
    const flag = store.get(key);
    if (flag === undefined) continue;
    hash.update(`${key}\u0000${store.fingerprint(key)}\u0000`);
    timeDependent ||= flag.plan.injectsFlagdProperties;
  }
  return { digest: hash.digest('base64url'), timeDependent, etags: new BulkEtagMemo() };
}
