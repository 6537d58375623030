import {
  credentials,
  Metadata,
  type ChannelCredentials,
  type Client,
  type ServiceError,
  type StatusObject,
} from '@grpc/grpc-js';
import type { FetchAllFlagsResponse, SyncFlagsResponse } from '../../src/flagd/sync/sync-messages.js';
import { loadSyncProtocol } from '../../src/flagd/sync/sync-proto.js';

/** A bare flagd.sync.v1 client for tests: no retries, no reconnects, every status visible. */
export function createSyncClient(
  port: number,
  channelCredentials: ChannelCredentials = credentials.createInsecure(),
  options: Record<string, string> = {},
): Client {
  return new (loadSyncProtocol().SyncClient)(`127.0.0.1:${port}`, channelCredentials, options);
}

export interface CallOptions {
  readonly selector?: string;
  readonly header?: string;
  readonly token?: string;
}

function metadataOf(options: CallOptions): Metadata {
  const metadata = new Metadata();
  if (options.header !== undefined) metadata.set('flagd-selector', options.header);
  if (options.token !== undefined) metadata.set('authorization', `Bearer ${options.token}`);
  return metadata;
}

function method(name: string): NonNullable<ReturnType<typeof loadSyncProtocol>['syncService'][string]> {
  const found = loadSyncProtocol().syncService[name];
  if (found === undefined) throw new Error(`no method ${name}`);
  return found;
}

export interface OpenStream {
  readonly messages: SyncFlagsResponse[];
  /** Resolves with message number `index` (0-based) once it has arrived. */
  message(index: number): Promise<SyncFlagsResponse>;
  readonly status: Promise<StatusObject>;
  cancel(): void;
}

export function openSyncStream(client: Client, options: CallOptions = {}): OpenStream {
  const syncFlags = method('SyncFlags');
  const call = client.makeServerStreamRequest(
    syncFlags.path,
    syncFlags.requestSerialize,
    syncFlags.responseDeserialize as (bytes: Buffer) => SyncFlagsResponse,
    { providerId: 'test', selector: options.selector ?? '' },
    metadataOf(options),
  );
  const messages: SyncFlagsResponse[] = [];
  const waiters: (() => void)[] = [];
  call.on('data', (message: SyncFlagsResponse) => {
    messages.push(message);
    for (const wake of waiters.splice(0)) wake();
  });
  call.on('error', () => undefined);
  const status = new Promise<StatusObject>((resolve) => call.on('status', resolve));
  const message = async (index: number): Promise<SyncFlagsResponse> => {
    while (messages[index] === undefined) {
      const ended = await Promise.race([
        new Promise<false>((resolve) => waiters.push(() => resolve(false))),
        status.then(() => true),
      ]);
      if (ended && messages[index] === undefined)
        throw new Error(`stream ended after ${messages.length} messages: ${JSON.stringify(await status)}`);
    }
    return messages[index];
  };
  return { messages, message, status, cancel: () => call.cancel() };
}

export function fetchAllFlags(client: Client, options: CallOptions = {}): Promise<FetchAllFlagsResponse> {
  const fetchAll = method('FetchAllFlags');
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      fetchAll.path,
      fetchAll.requestSerialize,
      fetchAll.responseDeserialize as (bytes: Buffer) => FetchAllFlagsResponse,
      { providerId: 'test', selector: options.selector ?? '' },
      metadataOf(options),
      (error: ServiceError | null, response?: FetchAllFlagsResponse) =>
        error === null && response !== undefined ? resolve(response) : reject(error),
    );
  });
}

export function flagKeysOf(message: { readonly flagConfiguration: string }): string[] {
  return Object.keys((JSON.parse(message.flagConfiguration) as { flags: object }).flags).sort();
}

/** One grpc.health.v1 Check; the client is closed by the caller's cleanups. */
export function checkHealth(port: number, service: string, cleanups: (() => unknown)[]): Promise<{ status: string }> {
  const healthClient = new (loadSyncProtocol().HealthClient)(`127.0.0.1:${port}`, credentials.createInsecure());
  cleanups.push(() => healthClient.close());
  const check = loadSyncProtocol().healthService['Check'];
  if (check === undefined) throw new Error('no Check method');
  return new Promise((resolve, reject) => {
    healthClient.makeUnaryRequest(
      check.path,
      check.requestSerialize,
      check.responseDeserialize as (bytes: Buffer) => { status: string },
      { service },
      (error, response) => (error === null && response !== undefined ? resolve(response) : reject(error)),
    );
  });
}
