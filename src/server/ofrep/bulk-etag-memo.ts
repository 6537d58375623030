/** Characters of request keys one selection's memo keeps; past it the memo starts again empty. */
const MEMO_BUDGET_CHARS = 1 << 20;
/** Requests with longer keys are hashed every time, not remembered: they would crowd out the rest. */
const MEMO_MAX_KEY_CHARS = 4_096;

/**
 * The ETags already computed for one selection digest, by the key of the request they were computed for
 * (its body, and the mapped headers if any: see `OfrepHandler`). Clients poll with the same few contexts
 * (a browser sends its user's on every poll), so most 304 answers cost a map lookup instead of parsing the
 * body and a SHA-256. A new digest (the flags changed) comes with a new, empty memo.
 */
export class BulkEtagMemo {
  readonly #byKey = new Map<string, string>();
  #chars = 0;

  get(requestKey: string): string | undefined {
    return this.#byKey.get(requestKey);
  }

  remember(requestKey: string, etag: string): void {
    if (requestKey.length > MEMO_MAX_KEY_CHARS || this.#byKey.has(requestKey)) return;
    if (this.#chars + requestKey.length > MEMO_BUDGET_CHARS) {
      this.#byKey.clear();
      this.#chars = 0;
    }
    this.#byKey.set(requestKey, etag);
    this.#chars += requestKey.length;
  }

  get size(): number {
    return this.#byKey.size;
  }
}
