import type { FlagSelector } from './selector.js';
import type { SyncFlagState } from './sync-flag-state.js';
import type { ProtoStruct } from './struct-codec.js';
import type { SyncStream } from './sync-stream.js';

/** What the handler reports about its streams, for metrics. */
export interface SyncObserver {
  streamOpened(): void;
  streamClosed(): void;
  pushed(payloadBytes: number): void;
}

/**
 * One open SyncFlags stream: sends the selected payload now and after every change that alters it.
 * While the transport is congested it keeps only the newest state: every message is a full snapshot,
 * so intermediate ones can be skipped without losing anything.
 */
export class SyncSubscription {
  readonly #stream: SyncStream;
  readonly #selector: FlagSelector;
  readonly #state: SyncFlagState;
  readonly #syncContext: ProtoStruct;
  readonly #observer: SyncObserver | undefined;
  readonly #onCaughtUp: (() => void) | undefined;
  #lastPayload: string | undefined;
  #congested = false;
  /** The state generation held back by congestion: reached once the transport drains. */
  #pendingGeneration = 0;
  #sentGeneration = 0;

  constructor(
    stream: SyncStream,
    selector: FlagSelector,
    state: SyncFlagState,
    syncContext: ProtoStruct,
    observer?: SyncObserver,
    onCaughtUp?: () => void,
  ) {
    this.#stream = stream;
    this.#selector = selector;
    this.#state = state;
    this.#syncContext = syncContext;
    this.#observer = observer;
    this.#onCaughtUp = onCaughtUp;
    stream.onDrain(() => {
      this.#congested = false;
      this.#reached(this.#pendingGeneration);
      this.push();
    });
  }

  /**
   * The state generation this subscriber is current with: its last payload was handed to the transport
   * without back-pressure (or drained since), or a later change left its selection as it was.
   */
  get sentGeneration(): number {
    return this.#sentGeneration;
  }

  /** Sends the current payload unless the subscriber already has it or its sources have not loaded. */
  push(): void {
    if (this.#congested) return;
    const generation = this.#state.generation;
    const payload = this.#state.payload(this.#selector);
    if (payload === undefined) return;
    if (payload === this.#lastPayload) {
      this.#reached(generation);
      return;
    }
    this.#lastPayload = payload;
    this.#congested = !this.#stream.send({ flagConfiguration: payload, syncContext: this.#syncContext });
    this.#observer?.pushed(Buffer.byteLength(payload));
    if (this.#congested) this.#pendingGeneration = generation;
    else this.#reached(generation);
  }

  #reached(generation: number): void {
    if (generation <= this.#sentGeneration) return;
    this.#sentGeneration = generation;
    this.#onCaughtUp?.();
  }
}
