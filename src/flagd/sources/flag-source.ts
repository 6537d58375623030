/** Where a source delivers what it reads: every payload and every failure goes through this one object. */
export interface SourceCallbacks {
  /** The full text of the source, delivered once per distinct content. */
  onPayload(text: string): void;
  /** A failure after start (file gone, unreadable, watcher error); the source keeps watching. */
  onError(error: Error): void;
}

/** A flag source: the narrow lifecycle every source (file, inline, remote) offers. */
export interface FlagSource {
  /** Delivers the first payload before resolving; rejects when the source cannot be read at all. */
  start(): Promise<void>;
  /** Stops watching and waits for any read in flight. */
  stop(): Promise<void>;
}
