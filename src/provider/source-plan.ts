import type { JsonValue } from '@openfeature/core';
import type { FlagSource } from '../flagd/sources/flag-source.js';

/** Where every source of the provider reports, whatever its kind; each call names the source's origin. */
export interface SourceListener {
  /** A full document; `fromCache` when it is a remote source's persisted copy rather than a live one. */
  payload(origin: string, text: string, fromCache: boolean): void;
  /** The source just lost its server; its last payload is still the best knowledge. */
  stale(origin: string, error: Error): void;
  /** The source failed: a bad file, or a server away for longer than the grace period. */
  failed(origin: string, error: Error): void;
  /** The source is live again, even if it had nothing new to deliver. */
  recovered(origin: string): void;
  /** The static evaluation context a sync server sends with its payloads. */
  syncContext(context: Readonly<Record<string, JsonValue>>): void;
}

/** How the provider gets its flags in one mode: the origins it layers, and how to build their sources. */
export interface SourcePlan {
  /** Origin names in layer order; a later origin wins per flag key. */
  readonly origins: readonly string[];
  /**
   * Whether a source whose start failed keeps trying on its own (a sync stream reconnects), so the
   * provider waits for it after rejecting `initialize`, rather than stopping it (a missing file).
   */
  readonly retriesAfterFailedStart: boolean;
  create(listener: SourceListener): FlagSource[];
}
