import type { JsonValue } from '@openfeature/core';

/**
 * The one interface between a source of flags and whatever consumes it. Every source (a watched file,
 * a file with its rollout layer, a flagd.sync.v1 stream, a store, a URL) is a `FlagSource` that reports
 * to a `SourceListener`; every consumer (the provider, the server's source supervisor) is a
 * `SourceListener`. A source is made for one listener (`new XSource(options, listener)`), so a consumer
 * that serves several sources gives each its own listener, and no call needs to name its source.
 *
 * The contract, which every source keeps and every consumer may rely on:
 * - Calls are synchronous, one at a time, in the order things happened; none comes after `stop()`
 *   has resolved. A listener must not throw: it is called from watchers, timers and streams, where a
 *   throw has nowhere good to go (the file source reports it through `failed`).
 * - `payload` carries the full document text (the loader behind the listener parses and translates it),
 *   once per distinct content. A payload also ends any `stale` or `failed` state: the source is live.
 * - `stale` fires at most once per outage, as soon as a source that had a live upstream loses it. Its
 *   last payload is still the best knowledge, and it keeps retrying. A source with nothing to lose (a
 *   file) never calls it.
 * - `failed` is a failure after start: a file gone or unreadable, a watcher error, an upstream away for
 *   longer than its grace period (after `stale`). The source keeps watching or retrying, and reports the
 *   same failure once until the outcome changes. The one exception is a `FatalSyncError`: the upstream
 *   refused for good and the source has stopped.
 * - `recovered` says that a `stale` or `failed` source is live again when no new payload says it (a
 *   reconnect to unchanged flags). A source may also call it right after the payload that came with
 *   the recovery, as the sync source does; a consumer treats the second signal as a no-op.
 * - `syncContext` carries the static evaluation context an upstream sends along with its flags
 *   (flagd's `sync_context`), before the payload it came with; sources without one never call it.
 */
export interface SourceListener {
  /** The full document; `fromCache` when it is the source's persisted copy, read because its upstream is away. */
  payload(text: string, fromCache: boolean): void;
  /** The upstream was just lost; the last payload stands and retries go on. */
  stale(error: Error): void;
  /** The source cannot deliver (see the contract above); the consumer keeps its last good flags. */
  failed(error: Error): void;
  /** Live again after `stale` or `failed`. */
  recovered(): void;
  /** The evaluation context the upstream sends with its flags. */
  syncContext(context: Readonly<Record<string, JsonValue>>): void;
}

/** A source's lifecycle: the narrow part every kind of source offers. */
export interface FlagSource {
  /**
   * Delivers the first payload before resolving; rejects when the source cannot be read at all (`File
   * not found: <path>`, an upstream out of reach with no cache), naming what and why.
   */
  start(): Promise<void>;
  /** Stops watching and retrying, and waits for any read in flight; the listener hears nothing after. */
  stop(): Promise<void>;
  /**
   * Whether a source whose `start()` rejected keeps trying on its own (a sync stream reconnects) and
   * delivers its first payload later, rather than needing `start()` again (a missing file).
   */
  readonly retriesAfterFailedStart: boolean;
}
