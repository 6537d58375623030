/** Characters of context JSON one selection's memo keeps; past it the memo starts again empty. */
const MEMO_BUDGET_CHARS = 1 << 20;
/** Contexts longer than this are hashed on every request, not remembered: they would crowd out the rest. */
const MEMO_MAX_CONTEXT_CHARS = 4_096;

/**
 * The ETags already computed for one selection digest, by the JSON of the context they were computed for.
 * Clients poll with the same few contexts (a browser sends its user's on every poll), so most 304 answers
 * cost a map lookup instead of a SHA-256. A new digest (the flags changed) comes with a new, empty memo.
 */
export class BulkEtagMemo {
  readonly #byContext = new Map<string, string>();
  #chars = 0;

  get(contextJson: string): string | undefined {
    return this.#byContext.get(contextJson);
  }

  remember(contextJson: string, etag: string): void {
    if (contextJson.length > MEMO_MAX_CONTEXT_CHARS) return;
    if (this.#chars + contextJson.length > MEMO_BUDGET_CHARS) {
      this.#byContext.clear();
      this.#chars = 0;
    }
    this.#byContext.set(contextJson, etag);
    this.#chars += contextJson.length;
  }

  get size(): number {
    return this.#byContext.size;
  }
}
