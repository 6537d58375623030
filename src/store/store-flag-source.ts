import type { FlagSetDocument } from '../flagd/model.js';
import type { FlagSource, SourceListener } from '../sources/flag-source.js';
import { readChangesAfter, type ChangeLogEntry } from './change-log.js';
import { createStoreClient, describeStoreFailure, type StoreClient } from './connect-store.js';
import { applyFlagSetChange } from './flag-set-change.js';
import { readFlagSet, readFlagSetHead } from './flag-set-store.js';
import type { StoreLocation } from './store-url.js';

export interface StoreFlagSourceOptions {
  readonly location: StoreLocation;
  readonly flagSetId: string;
  /** Longest single blocking read; it is issued again at once, so this only bounds how long a silent dead connection goes unseen. @default 5000 */
  readonly blockMs?: number;
  /** Name of the connection in `CLIENT LIST`. */
  readonly connectionName?: string;
  /**
   * Told after each move of the revision held, even one that left the flags as they were (a stage
   * written again unchanged), which brings no payload: a replica's presence shows the revision.
   */
  readonly onRevision?: () => void;
  /** Told when the store's history changed under a live connection (flushed, or restored from an older copy). */
  readonly onWarning?: (message: string) => void;
}

/**
 * A flag set in the store as a flag source. It reads the snapshot, then follows the change log from
 * that revision with a blocking read on a connection of its own, applying each change in order. A
 * change that does not follow on from the revision it holds (the log was trimmed past it, an entry
 * is missing, it was made from another write of that revision), or a lost connection, makes it read
 * the snapshot again. So does a quiet log whose set is at another revision or write than the one held:
 * a store flushed and pushed again, or restored from an older copy, goes back without the connection
 * dropping, and the log read from the held revision would never show it. While the store is away it
 * reports `stale` once and keeps reconnecting; the consumer keeps serving the last payload.
 */
export class StoreFlagSource implements FlagSource {
  readonly retriesAfterFailedStart = true;
  readonly #options: StoreFlagSourceOptions;
  readonly #listener: SourceListener;
  #client: StoreClient | undefined;
  #following: Promise<void> | undefined;
  #stopped = false;
  #revision = 0;
  #writeId = '';
  #document: FlagSetDocument | undefined;
  #deliveredText: string | undefined;
  /** Whether the last delivered state is current (false between a loss and the next snapshot). */
  #live = false;
  #lastFailure: string | undefined;
  #wake: (() => void) | undefined;
  #settleStart: ((error?: Error) => void) | undefined;

  constructor(options: StoreFlagSourceOptions, listener: SourceListener) {
    this.#options = options;
    this.#listener = listener;
  }

  /** The revision of the flags last delivered; 0 before the first. */
  get revision(): number {
    return this.#revision;
  }

  start(): Promise<void> {
    this.#stopped = false;
    const client = createStoreClient(this.#options.location, {
      reconnect: true,
      ...(this.#options.connectionName === undefined ? {} : { connectionName: this.#options.connectionName }),
    });
    this.#client = client;
    const started = new Promise<void>((resolve, reject) => {
      this.#settleStart = (error) => (error === undefined ? resolve() : reject(error));
    });
    this.#following = this.#follow(client);
    return started;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    this.#client?.disconnect();
    await this.#following;
    this.#settleStart?.(new Error(`${this.#name()}: stopped before the first read`));
  }

  async #follow(client: StoreClient): Promise<void> {
    let needSnapshot = true;
    while (!this.#stopped) {
      try {
        await this.#whenReady(client);
        if (this.#stopped) return;
        if (needSnapshot) needSnapshot = !(await this.#loadSnapshot(client));
        const entries = await readChangesAfter(client, this.#options.flagSetId, this.#revision, this.#blockMs());
        needSnapshot =
          entries.length === 0 ? !(await this.#stillCurrent(client)) : !entries.every((entry) => this.#apply(entry));
      } catch (error) {
        if (this.#stopped) return;
        this.#lost(new Error(describeStoreFailure(this.#options.location, error)));
        needSnapshot = true;
      }
    }
  }

  /** Reads the snapshot; false when the flag set is not in the store (a push will bring it through the log). */
  async #loadSnapshot(client: StoreClient): Promise<boolean> {
    const read = await readFlagSet(client, this.#options.flagSetId);
    if (!read.ok) throw new Error(read.error);
    if (read.value.document === undefined) {
      this.#revision = 0;
      this.#writeId = '';
      this.#document = undefined;
      this.#report(
        new Error(`${this.#name()}: not in the store ${this.#options.location.redacted} yet (waiting for a push)`),
      );
      return true;
    }
    this.#revision = read.value.revision;
    this.#writeId = read.value.writeId;
    this.#document = read.value.document;
    this.#deliver();
    this.#options.onRevision?.();
    return true;
  }

  /** Applies an entry that follows on from the revision held; false on a gap or a change of history. */
  #apply(entry: ChangeLogEntry): boolean {
    if (entry.revision <= this.#revision) return true;
    if (entry.previous !== this.#revision) return false;
    if (entry.previousWrite !== this.#writeId) {
      this.#warnHistoryChanged(
        `revision ${entry.revision} was written over another revision ${entry.previous} than the one served`,
      );
      return false;
    }
    this.#document = applyFlagSetChange(this.#document, entry.change);
    this.#revision = entry.revision;
    this.#writeId = entry.write;
    this.#deliver();
    this.#options.onRevision?.();
    return true;
  }

  /** While the log is quiet: whether the set is still at the revision and write held (false: read the snapshot). */
  async #stillCurrent(client: StoreClient): Promise<boolean> {
    const head = await readFlagSetHead(client, this.#options.flagSetId);
    if (head.revision === this.#revision && head.writeId === this.#writeId) return true;
    if (head.revision <= this.#revision)
      this.#warnHistoryChanged(
        head.revision < this.#revision
          ? `the store went back to revision ${head.revision}`
          : `revision ${head.revision} was written again`,
      );
    return false;
  }

  #warnHistoryChanged(what: string): void {
    this.#options.onWarning?.(
      `${this.#name()} in ${this.#options.location.redacted}: ${what} while revision ${this.#revision} was served ` +
        `(the store was flushed or restored from an older copy); reloading the snapshot`,
    );
  }

  #deliver(): void {
    const text = JSON.stringify(this.#document);
    const wasLive = this.#live;
    this.#live = true;
    this.#lastFailure = undefined;
    this.#settleStart?.();
    this.#settleStart = undefined;
    if (text !== this.#deliveredText) {
      this.#deliveredText = text;
      this.#listener.payload(text, false);
    } else if (!wasLive) {
      this.#listener.recovered();
    }
  }

  /** The connection was lost: `stale` once if flags were live, else `failed` once per distinct reason. */
  #lost(error: Error): void {
    if (this.#live) {
      this.#live = false;
      this.#listener.stale(error);
      return;
    }
    if (this.#deliveredText === undefined) this.#report(error);
  }

  /** A failure before any flags: rejects `start()` the first time, then reports each new reason once. */
  #report(error: Error): void {
    if (this.#settleStart !== undefined) {
      this.#settleStart(error);
      this.#settleStart = undefined;
      this.#lastFailure = error.message;
      return;
    }
    if (error.message === this.#lastFailure) return;
    this.#lastFailure = error.message;
    this.#listener.failed(error);
  }

  /**
   * Resolves when the client is connected (ioredis reconnects by itself), or at `stop()`. Each failed
   * attempt meanwhile counts as a loss, so a store away at start fails `start()` instead of hanging it.
   */
  #whenReady(client: StoreClient): Promise<void> {
    if (client.status === 'ready') return Promise.resolve();
    const attemptFailed = (error: unknown): void =>
      this.#lost(new Error(describeStoreFailure(this.#options.location, error)));
    return new Promise((resolve) => {
      const done = (): void => {
        client.off('ready', done);
        client.off('error', attemptFailed);
        this.#wake = undefined;
        resolve();
      };
      client.on('ready', done);
      client.on('error', attemptFailed);
      this.#wake = done;
      if (client.status === 'wait') client.connect().catch(() => {});
    });
  }

  #blockMs(): number {
    return this.#options.blockMs ?? 5_000;
  }

  #name(): string {
    return `flag set "${this.#options.flagSetId}"`;
  }
}
