import type { SyncFlagState } from '../../flagd/sync/sync-flag-state.js';

/** One EventStream's place in the ledger. */
export interface LedgerEntry {
  /** The stream's selection has loaded (its `provider_ready` is due or sent). */
  ready: boolean;
  /** Events queued or in flight, not yet taken by the transport. */
  queued: number;
  /** The state generation the stream is current with. */
  sent: number;
}

/**
 * Which state generation each open EventStream is current with, as `FlagSyncHandler` knows it for
 * sync streams: a stream is current once every event queued for it was taken by the transport, or
 * when a change left its selection alone. A replica's presence counts both kinds of stream.
 */
export class EventStreamLedger {
  readonly #state: SyncFlagState;
  readonly #entries = new Set<LedgerEntry>();
  readonly #onChange: (() => void) | undefined;

  constructor(state: SyncFlagState, onChange?: () => void) {
    this.#state = state;
    this.#onChange = onChange;
    // Subscribed after the selection stores: by the time this runs, a change's events are queued.
    state.subscribe(() => {
      for (const entry of this.#entries) if (entry.ready && entry.queued === 0) this.#reach(entry);
    });
  }

  get streamCount(): number {
    return this.#entries.size;
  }

  /** How many open EventStreams are current with generation `generation` or a later one. */
  streamsSentSince(generation: number): number {
    let count = 0;
    for (const entry of this.#entries) if (entry.sent >= generation) count += 1;
    return count;
  }

  open(): LedgerEntry {
    const entry: LedgerEntry = { ready: false, queued: 0, sent: 0 };
    this.#entries.add(entry);
    this.#onChange?.();
    return entry;
  }

  /** The entry's `ready` or `queued` changed: with nothing left to take, the stream is current with the state now. */
  settle(entry: LedgerEntry): void {
    if (entry.ready && entry.queued === 0) this.#reach(entry);
  }

  close(entry: LedgerEntry): void {
    this.#entries.delete(entry);
    this.#onChange?.();
  }

  #reach(entry: LedgerEntry): void {
    if (this.#state.generation <= entry.sent) return;
    entry.sent = this.#state.generation;
    this.#onChange?.();
  }
}
