import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createStoreClient, type StoreClient } from './connect-store.js';
import { publishPresence, withdrawPresence, type ReplicaDelivery, type ReplicaIdentity } from './replica-presence.js';
import type { StoreLocation } from './store-url.js';

export interface PresencePublisherOptions {
  readonly location: StoreLocation;
  readonly flagSets: readonly string[];
  /** How often the presence is refreshed while nothing changes; it expires after three of these. @default 2000 */
  readonly intervalMs: number;
  /** Where the replica is with a flag set now. */
  readonly delivery: (flagSet: string) => ReplicaDelivery;
  readonly nowMs?: () => number;
}

/** A presence lives this many refresh intervals: one or two lost refreshes do not make a replica vanish. */
export const PRESENCE_TTL_INTERVALS = 3;

/**
 * Keeps a `serve --store` replica's presence in each flag set it serves: refreshed every interval,
 * written again soon after anything changes (a revision applied, a stream sent it, a stream opened or
 * closed), so a controller waiting for delivery learns of it within a round trip rather than an
 * interval. A failed write is dropped: the next refresh or change writes the whole record again.
 */
export class PresencePublisher {
  readonly identity: ReplicaIdentity;
  readonly #options: PresencePublisherOptions;
  readonly #client: StoreClient;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(options: PresencePublisherOptions) {
    this.#options = options;
    const nowMs = this.#now();
    const host = hostname();
    this.identity = {
      id: `${host}-${process.pid}-${randomBytes(3).toString('hex')}`,
      host,
      pid: process.pid,
      startedAt: new Date(nowMs).toISOString(),
    };
    this.#client = createStoreClient(options.location, {
      reconnect: true,
      connectionName: `genesis-flags-presence-${process.pid}`,
    });
  }

  start(): void {
    // A reconnect publishes at once: the presence may have expired while the store was away.
    this.#client.on('ready', () => this.changed());
    this.#client.connect().catch(() => {});
    this.#timer = setInterval(() => this.changed(), this.#options.intervalMs);
    this.#timer.unref();
    this.changed();
  }

  /** Something the presence shows changed: write it once the write in flight (if any) is done. */
  changed(): void {
    if (this.#stopped) return;
    if (this.#writing !== undefined) {
      this.#again = true;
      return;
    }
    // After the current task: an update tells its subscribers first and its bookkeeping after, and
    // every stream sent the update in this task is counted in one write.
    this.#writing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#publish())
      .finally(() => {
        this.#writing = undefined;
        if (this.#again) {
          this.#again = false;
          this.changed();
        }
      });
  }

  /** Stops refreshing and withdraws the presence, so a clean shutdown leaves no replica behind. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#writing;
    if (this.#client.status === 'ready') {
      const { id } = this.identity;
      await Promise.all(this.#options.flagSets.map((set) => withdrawPresence(this.#client, set, id))).catch(() => {});
    }
    await this.#client.quit().catch(() => this.#client.disconnect());
  }

  async #publish(): Promise<void> {
    if (this.#client.status !== 'ready') return;
    const ttlMs = this.#options.intervalMs * PRESENCE_TTL_INTERVALS;
    await Promise.all(
      this.#options.flagSets.map((set) =>
        publishPresence(this.#client, set, this.identity, this.#options.delivery(set), ttlMs, this.#now()),
      ),
    ).catch(() => {});
  }

  #now(): number {
    return (this.#options.nowMs ?? Date.now)();
  }
}
