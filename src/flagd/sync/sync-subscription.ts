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
  #lastPayload: string | undefined;
  #congested = false;

  constructor(
    stream: SyncStream,
    selector: FlagSelector,
    state: SyncFlagState,
    syncContext: ProtoStruct,
    observer?: SyncObserver,
  ) {
    this.#stream = stream;
    this.#selector = selector;
    this.#state = state;
    this.#syncContext = syncContext;
    this.#observer = observer;
    stream.onDrain(() => {
      this.#congested = false;
      this.push();
    });
  }

  /** Sends the current payload unless the subscriber already has it or its sources have not loaded. */
  push(): void {
    if (this.#congested) return;
    const payload = this.#state.payload(this.#selector);
    if (payload === undefined || payload === this.#lastPayload) return;
    this.#lastPayload = payload;
    this.#congested = !this.#stream.send({ flagConfiguration: payload, syncContext: this.#syncContext });
    this.#observer?.pushed(Buffer.byteLength(payload));
  }
}
