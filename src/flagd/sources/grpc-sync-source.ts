import { readFile } from 'node:fs/promises';
import {
  credentials,
  Metadata,
  status,
  type ChannelCredentials,
  type Client,
  type ClientReadableStream,
  type StatusObject,
} from '@grpc/grpc-js';
import { SELECTOR_HEADER } from '../sync/selector.js';
import { fromProtoStruct } from '../sync/struct-codec.js';
import type { SyncFlagsRequest, SyncFlagsResponse } from '../sync/sync-messages.js';
import { loadSyncProtocol } from '../sync/sync-proto.js';
import { awaitChannelReady } from './await-channel-ready.js';
import { FatalSyncError } from './fatal-sync-error.js';
import {
  resolveGrpcSyncConfig,
  type GrpcSyncSourceConfig,
  type GrpcSyncSourceOptions,
} from './grpc-sync-source-options.js';
import type { FlagSource, SourceListener } from '../../sources/flag-source.js';
import { describeTlsFailure } from './describe-tls-failure.js';
import { PayloadCache } from './payload-cache.js';
import { grpcStatusCode } from './grpc-status-names.js';
import { describeReadFailure } from './read-failure.js';
import { reconnectDelayMs } from './reconnect-backoff.js';
import { systemTimers } from '../../system/timers.js';

type StartWaiter = { resolve: () => void; reject: (error: Error) => void };

/**
 * Subscribes to any flagd.sync.v1 server (ours or flagd itself) and delivers each payload it streams.
 *
 * `start()` resolves with the first payload, from the server or, when it cannot be reached and a
 * `cachePath` is set, from the cache; it rejects when neither is available, and retries continue in
 * the background until `stop()`. A lost stream is reported through `stale` at once and `failed` after
 * `retryGracePeriodMs`; reconnects back off exponentially with jitter up to `maxBackoffMs`, and the
 * first payload of a new stream is followed by `recovered`. Payloads are delivered once per distinct
 * content, but after a start from the cache the first live payload is delivered even when identical,
 * so the latest `fromCache` is always the truth.
 */
export class GrpcSyncSource implements FlagSource {
  readonly retriesAfterFailedStart = true;
  readonly #config: GrpcSyncSourceConfig;
  readonly #listener: SourceListener;
  readonly #cache: PayloadCache | undefined;
  /** The CA the channel trusts, when one was given; a failed handshake is repeated with it to say why. */
  #caCert: Buffer | undefined;
  #client: Client | undefined;
  #call: ClientReadableStream<SyncFlagsResponse> | undefined;
  #startWaiter: StartWaiter | undefined;
  #lastPayload: string | undefined;
  #lastFromCache: boolean | undefined;
  #attempt = 0;
  #connected = false;
  /** A live payload has arrived since `start()`: from then on no status is fatal. */
  #subscribed = false;
  #lost = false;
  readonly #fatalCodes: ReadonlySet<number>;
  #cancelRetry: (() => void) | undefined;
  #cancelGrace: (() => void) | undefined;
  #cacheWrite: Promise<void> = Promise.resolve();
  #cacheFallback: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: GrpcSyncSourceOptions, listener: SourceListener) {
    this.#config = resolveGrpcSyncConfig(options, options.timers ?? systemTimers);
    this.#listener = listener;
    this.#cache = options.cachePath === undefined ? undefined : new PayloadCache(options.cachePath);
    this.#fatalCodes = new Set(this.#config.fatalStatusCodes.map((name) => grpcStatusCode(name) ?? -1));
  }

  get target(): string {
    return `${this.#config.host}:${this.#config.port}`;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    this.#subscribed = false;
    const { SyncClient } = loadSyncProtocol();
    this.#client = new SyncClient(this.target, await this.#channelCredentials(), this.#channelOptions());
    return new Promise<void>((resolve, reject) => {
      this.#startWaiter = { resolve, reject };
      this.#connect();
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelRetry?.();
    this.#cancelGrace?.();
    const call = this.#call;
    this.#call = undefined;
    call?.cancel();
    this.#client?.close();
    this.#client = undefined;
    this.#settleStart(new Error(`gRPC sync source ${this.target} stopped before its first payload`));
    await Promise.all([this.#cacheWrite, this.#cacheFallback]);
  }

  async #channelCredentials(): Promise<ChannelCredentials> {
    if (!this.#config.tls) return credentials.createInsecure();
    if (this.#config.caCertPath === undefined) return credentials.createSsl();
    try {
      this.#caCert = await readFile(this.#config.caCertPath);
      return credentials.createSsl(this.#caCert);
    } catch (error) {
      throw describeReadFailure(this.#config.caCertPath, error);
    }
  }

  #channelOptions(): Record<string, number> {
    const keepAlive =
      this.#config.keepAliveTimeMs > 0 ? { 'grpc.keepalive_time_ms': this.#config.keepAliveTimeMs } : {};
    // The channel reconnects on its own schedule too (up to 120 s by default); bound it by ours.
    return {
      'grpc.max_receive_message_length': this.#config.maxPayloadBytes,
      'grpc.initial_reconnect_backoff_ms': Math.max(1, this.#config.initialBackoffMs),
      'grpc.max_reconnect_backoff_ms': Math.max(1, this.#config.maxBackoffMs),
      ...keepAlive,
    };
  }

  #connect(): void {
    const client = this.#client;
    if (this.#stopped || client === undefined) return;
    awaitChannelReady(client, this.#config.now() + this.#config.connectTimeoutMs, (error) => {
      if (this.#stopped || client !== this.#client) return;
      if (error === undefined) this.#openStream(client);
      else void this.#onConnectFailed(client, error);
    });
  }

  /** Says why a TLS connection failed (untrusted CA, wrong host, expired), which the channel does not tell. */
  async #onConnectFailed(client: Client, error: Error): Promise<void> {
    const { tls, host, port, connectTimeoutMs } = this.#config;
    const tlsReason = tls
      ? await describeTlsFailure(host, port, this.#caCert, connectTimeoutMs).catch(() => undefined)
      : undefined;
    if (this.#stopped || client !== this.#client) return;
    const reason = tlsReason ?? error.message;
    this.#onLost(new Error(`Cannot reach flag sync server ${this.target} (${reason})`, { cause: error }));
  }

  #openStream(client: Client): void {
    const method = loadSyncProtocol().syncService['SyncFlags'];
    if (method === undefined) throw new Error('SyncFlags missing from the sync protocol');
    const request: SyncFlagsRequest = { providerId: this.#config.providerId, selector: this.#config.selector ?? '' };
    const deadline = this.#config.streamDeadlineMs > 0 ? this.#config.now() + this.#config.streamDeadlineMs : Infinity;
    const call = client.makeServerStreamRequest<SyncFlagsRequest, SyncFlagsResponse>(
      method.path,
      method.requestSerialize,
      method.responseDeserialize as (bytes: Buffer) => SyncFlagsResponse,
      request,
      this.#callMetadata(),
      { deadline },
    );
    this.#call = call;
    this.#connected = false;
    call.on('data', (message: SyncFlagsResponse) => this.#onMessage(call, message));
    // Every ending, error or not, arrives as 'status'; the 'error' event only needs a listener.
    call.on('error', () => undefined);
    call.on('status', (ending: StatusObject) => this.#onEnded(call, ending));
  }

  #callMetadata(): Metadata {
    const metadata = new Metadata();
    if (this.#config.selector !== undefined && this.#config.selector !== '')
      metadata.set(SELECTOR_HEADER, this.#config.selector);
    if (this.#config.token !== undefined) metadata.set('authorization', `Bearer ${this.#config.token}`);
    return metadata;
  }

  #onMessage(call: ClientReadableStream<SyncFlagsResponse>, message: SyncFlagsResponse): void {
    if (call !== this.#call || this.#stopped) return;
    const recovered = !this.#connected && this.#lost;
    if (!this.#connected) {
      this.#connected = true;
      this.#subscribed = true;
      this.#attempt = 0;
      this.#lost = false;
      this.#cancelGrace?.();
      this.#cancelGrace = undefined;
    }
    if (message.syncContext !== undefined) this.#listener.syncContext(fromProtoStruct(message.syncContext));
    this.#deliver(message.flagConfiguration, false);
    if (recovered) this.#listener.recovered();
    this.#settleStart();
  }

  /** Once per distinct content, and once more when the same content is confirmed live after a cache start. */
  #deliver(text: string, fromCache: boolean): void {
    if (text === this.#lastPayload && fromCache === this.#lastFromCache) return;
    this.#lastPayload = text;
    this.#lastFromCache = fromCache;
    this.#listener.payload(text, fromCache);
    if (!fromCache && this.#cache !== undefined) {
      this.#cacheWrite = this.#cache.write(text).then((error) => {
        if (error !== undefined) this.#config.logger?.warn(error.message);
      });
    }
  }

  #onEnded(call: ClientReadableStream<SyncFlagsResponse>, ending: StatusObject): void {
    if (call !== this.#call || this.#stopped) return;
    this.#call = undefined;
    const wasConnected = this.#connected;
    this.#connected = false;
    // A stream deadline is a planned recycle, not an outage: reconnect at once, tell nobody.
    if (wasConnected && ending.code === status.DEADLINE_EXCEEDED) {
      this.#connect();
      return;
    }
    if (!this.#subscribed && this.#fatalCodes.has(ending.code)) return this.#failForGood(ending);
    const reason =
      ending.code === status.OK ? 'stream ended by the server' : `${status[ending.code]}: ${ending.details}`;
    this.#onLost(new Error(`Flag sync stream from ${this.target} lost (${reason})`));
  }

  /** A status listed in `fatalStatusCodes` ended the first subscription: stop, and say so once. */
  #failForGood(ending: StatusObject): void {
    const name = status[ending.code];
    const error = new FatalSyncError(
      `Flag sync server ${this.target} refused the subscription with ${name} (${ending.details}); ` +
        `${name} is in fatalStatusCodes, so the provider stops retrying`,
      name,
    );
    this.#stopped = true;
    this.#cancelRetry?.();
    this.#cancelGrace?.();
    this.#client?.close();
    this.#client = undefined;
    if (this.#startWaiter !== undefined) this.#settleStart(error);
    else this.#listener.failed(error);
  }

  #onLost(error: Error): void {
    if (this.#startWaiter !== undefined) this.#cacheFallback = this.#startWithoutServer(error);
    else if (!this.#lost) this.#markStale(error);
    this.#scheduleRetry();
  }

  /** The first connection failed: fall back to the cache, or reject start. Retries go on either way. */
  async #startWithoutServer(error: Error): Promise<void> {
    this.#lost = true;
    const cached = await this.#cache?.read();
    if (this.#stopped || this.#startWaiter === undefined) return;
    if (cached?.ok === true) {
      this.#config.logger?.warn(`${error.message}; starting from the cached flags in ${this.#cache?.path}`);
      this.#deliver(cached.value, true);
      this.#settleStart();
      return;
    }
    // A cache that was never written is the normal first start; any other cache failure is news.
    const cacheFailure = cached === undefined || isNotFound(cached.error) ? '' : `; ${cached.error.message}`;
    this.#settleStart(cacheFailure === '' ? error : new Error(`${error.message}${cacheFailure}`, { cause: error }));
  }

  #markStale(error: Error): void {
    this.#lost = true;
    this.#listener.stale(error);
    this.#cancelGrace = this.#config.timers.schedule(() => {
      this.#cancelGrace = undefined;
      if (this.#lost && !this.#stopped) this.#listener.failed(error);
    }, this.#config.retryGracePeriodMs);
  }

  #scheduleRetry(): void {
    if (this.#stopped) return;
    const delayMs = reconnectDelayMs(this.#attempt++, this.#config, this.#config.random);
    this.#cancelRetry = this.#config.timers.schedule(() => {
      this.#cancelRetry = undefined;
      this.#connect();
    }, delayMs);
  }

  #settleStart(error?: Error): void {
    const waiter = this.#startWaiter;
    this.#startWaiter = undefined;
    if (error === undefined) waiter?.resolve();
    else waiter?.reject(error);
  }
}

function isNotFound(error: Error): boolean {
  return (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
