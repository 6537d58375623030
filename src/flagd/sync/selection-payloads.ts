/**
 * The payloads computed for the selections in use, bounded by size.
 *
 * Subscribers choose their selector freely, and without `--token-file` anyone may call: every distinct
 * selector once kept its payload (and its own text, as the key) until the next flag change, so 400
 * distinct 1 MB selectors held 200 MB. Two bounds keep it small:
 * - a selection that selects no flag (or whose files have not loaded yet) is not kept: its payload is
 *   the constant empty document, cheap to compute again, and those are the selections a client can
 *   invent without end. What is kept are the selections that select flags, and there are only as many
 *   of them as there are files, flag sets and the two catch-alls (see `SyncFlagState.payload`);
 * - the kept entries are counted in bytes (the selection key and the payload, UTF-16) and the least
 *   recently used ones are dropped past `maxBytes`. The entry just added always stays, so a flag set
 *   larger than the budget is still computed once per change, not once per subscriber.
 */
export class SelectionPayloads {
  readonly #maxBytes: number;
  readonly #entries = new Map<string, string>();
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Bytes held now: selection keys and payloads, two bytes per UTF-16 code unit. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The payload kept for a selection, if it is kept. */
  get(key: string): string | undefined {
    const payload = this.#entries.get(key);
    if (payload === undefined) return undefined;
    // Maps iterate in insertion order: moving the entry to the end marks it as the most recently used.
    this.#entries.delete(key);
    this.#entries.set(key, payload);
    return payload;
  }

  set(key: string, payload: string): void {
    if (this.#entries.has(key)) this.#remove(key);
    this.#entries.set(key, payload);
    this.#bytes += sizeOf(key, payload);
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes <= this.#maxBytes || oldest === key) break;
      this.#remove(oldest);
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #remove(key: string): void {
    this.#bytes -= sizeOf(key, this.#entries.get(key));
    this.#entries.delete(key);
  }
}

function sizeOf(key: string, payload: string | undefined): number {
  return 2 * (key.length + (payload?.length ?? 0));
}
