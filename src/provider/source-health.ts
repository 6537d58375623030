/** What is wrong with a source: its server is away (still within the grace period), or it failed. */
export type SourceTrouble = 'stale' | 'failed';

/**
 * Which sources are in trouble, so the provider emits each status event once per change: STALE when a
 * healthy source loses its server, READY when the last source in trouble is healthy again.
 */
export class SourceHealth {
  readonly #troubles = new Map<string, { readonly trouble: SourceTrouble; readonly error: Error }>();

  /** Records a lost server; true when the source was healthy until now (a failed one stays failed). */
  markStale(origin: string, error: Error): boolean {
    if (this.#troubles.has(origin)) return false;
    this.#troubles.set(origin, { trouble: 'stale', error });
    return true;
  }

  markFailed(origin: string, error: Error): void {
    this.#troubles.set(origin, { trouble: 'failed', error });
  }

  /** Records a healthy source; true when it was in trouble and now no source is. */
  markHealthy(origin: string): boolean {
    return this.#troubles.delete(origin) && this.#troubles.size === 0;
  }

  /** The failure of the first source that failed, if any did. */
  firstFailure(): Error | undefined {
    return [...this.#troubles.values()].find((entry) => entry.trouble === 'failed')?.error;
  }

  clear(): void {
    this.#troubles.clear();
  }
}
