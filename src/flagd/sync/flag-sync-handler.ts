import { status, type Metadata } from '@grpc/grpc-js';
import type { Logger } from '@openfeature/core';
import { parseSelector, selectorExpression, SELECTOR_HEADER, type FlagSelector } from './selector.js';
import { toProtoStruct, type JsonRecord, type ProtoStruct } from './struct-codec.js';
import type { SyncFlagState } from './sync-flag-state.js';
import type { FetchAllFlagsRequest, FetchAllFlagsResponse, GetMetadataResponse } from './sync-messages.js';
import type { SyncStatusError, SyncStream, UnaryReply } from './sync-stream.js';
import { SyncSubscription, type SyncObserver } from './sync-subscription.js';

export interface FlagSyncHandlerOptions {
  readonly state: SyncFlagState;
  /** Static context sent as `sync_context` with every payload (flagd's `--context-value`). @default {} */
  readonly syncContext?: JsonRecord;
  /** Answer the deprecated GetMetadata with UNIMPLEMENTED, as flagd's `--disable-sync-metadata`. @default false */
  readonly disableSyncMetadata?: boolean;
  readonly observer?: SyncObserver;
  readonly logger?: Logger;
  /** Told when a stream opens, closes, or is sent a newer state (what a replica's presence shows). */
  readonly onStreamsChange?: () => void;
}

/**
 * The flagd.sync.v1 protocol: selectors, full-state pushes, and how calls end. It knows nothing of
 * listening, TLS or authentication (the server's concern) nor of files (the runtime's).
 */
export class FlagSyncHandler {
  readonly #state: SyncFlagState;
  readonly #syncContext: ProtoStruct;
  readonly #disableSyncMetadata: boolean;
  readonly #observer: SyncObserver | undefined;
  readonly #logger: Logger | undefined;
  readonly #onStreamsChange: (() => void) | undefined;
  readonly #open = new Map<SyncStream, { readonly subscription: SyncSubscription; readonly unsubscribe: () => void }>();
  #closing = false;

  constructor(options: FlagSyncHandlerOptions) {
    this.#state = options.state;
    this.#syncContext = toProtoStruct(options.syncContext ?? {});
    this.#disableSyncMetadata = options.disableSyncMetadata ?? false;
    this.#observer = options.observer;
    this.#logger = options.logger;
    this.#onStreamsChange = options.onStreamsChange;
  }

  /** How many SyncFlags streams are open now. */
  get streamCount(): number {
    return this.#open.size;
  }

  /** How many open SyncFlags streams have been sent state generation `generation` or a later one. */
  streamsSentSince(generation: number): number {
    let count = 0;
    for (const { subscription } of this.#open.values()) if (subscription.sentGeneration >= generation) count += 1;
    return count;
  }

  syncFlags(stream: SyncStream): void {
    if (this.#closing) {
      stream.fail(shuttingDown());
      return;
    }
    const selector = this.#selectorOf(stream.metadata, stream.request.selector);
    if (!selector.ok) {
      stream.fail(selector.error);
      return;
    }
    const subscription = new SyncSubscription(
      stream,
      selector.value,
      this.#state,
      this.#syncContext,
      this.#observer,
      this.#onStreamsChange,
    );
    const unsubscribe = this.#state.subscribe(() => subscription.push());
    this.#open.set(stream, { subscription, unsubscribe });
    this.#observer?.streamOpened();
    this.#onStreamsChange?.();
    stream.onClose(() => this.#forget(stream));
    this.#logger?.debug(`sync stream opened (provider "${stream.request.providerId}")`);
    subscription.push();
  }

  fetchAllFlags(request: FetchAllFlagsRequest, metadata: Metadata): UnaryReply<FetchAllFlagsResponse> {
    const selector = this.#selectorOf(metadata, request.selector);
    if (!selector.ok) return selector;
    const payload = this.#state.payload(selector.value);
    if (payload === undefined)
      return { ok: false, error: { code: status.UNAVAILABLE, details: 'Flag sources have not loaded yet' } };
    return { ok: true, value: { flagConfiguration: payload } };
  }

  getMetadata(): UnaryReply<GetMetadataResponse> {
    if (this.#disableSyncMetadata)
      return { ok: false, error: { code: status.UNIMPLEMENTED, details: 'metadata endpoint disabled' } };
    return { ok: true, value: { metadata: this.#syncContext } };
  }

  /**
   * Ends every open stream with UNAVAILABLE and refuses new ones. Never OK: clients read an OK end as
   * "no more updates will come" and stop listening, whereas UNAVAILABLE makes them reconnect.
   */
  closeAll(): void {
    this.#closing = true;
    for (const stream of [...this.#open.keys()]) {
      this.#forget(stream);
      stream.fail(shuttingDown());
    }
  }

  #selectorOf(metadata: Metadata, requestSelector: string): UnaryReply<FlagSelector> {
    const parsed = parseSelector(selectorExpression(metadata.get(SELECTOR_HEADER), requestSelector));
    if (parsed.ok) return parsed;
    return { ok: false, error: { code: status.INVALID_ARGUMENT, details: parsed.error } };
  }

  #forget(stream: SyncStream): void {
    const open = this.#open.get(stream);
    if (open === undefined) return;
    this.#open.delete(stream);
    open.unsubscribe();
    this.#observer?.streamClosed();
    this.#onStreamsChange?.();
  }
}

function shuttingDown(): SyncStatusError {
  return { code: status.UNAVAILABLE, details: 'Sync server is shutting down' };
}
