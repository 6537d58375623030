import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { credentials, status, type Client } from '@grpc/grpc-js';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { FlagSyncHandler } from '../../src/flagd/sync/flag-sync-handler.js';
import { HealthService } from '../../src/flagd/sync/health-service.js';
import { SyncFlagState, type WireFlags } from '../../src/flagd/sync/sync-flag-state.js';
import { SYNC_SERVICE_NAME } from '../../src/flagd/sync/sync-proto.js';
import { startSyncServer, type RunningSyncServer, type SyncServerOptions } from '../../src/flagd/sync/sync-server.js';
import { checkHealth, createSyncClient, fetchAllFlags, flagKeysOf, openSyncStream } from './sync-test-client.js';

const payments: WireFlags = {
  pay: {
    state: 'ENABLED',
    variants: { on: true, off: false },
    defaultVariant: 'on',
    metadata: { flagSetId: 'payments' },
  },
};
const shipping: WireFlags = {
  ship: {
    state: 'ENABLED',
    variants: { on: true, off: false },
    defaultVariant: 'off',
    metadata: { flagSetId: 'shipping' },
  },
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function loadedState(): SyncFlagState {
  const state = new SyncFlagState(['payments.json', 'shipping.json']);
  state.update('payments.json', payments);
  state.update('shipping.json', shipping);
  return state;
}

async function serve(
  options: Partial<SyncServerOptions> & { state?: SyncFlagState } = {},
): Promise<{ server: RunningSyncServer; state: SyncFlagState; health: HealthService }> {
  const state = options.state ?? loadedState();
  const health = new HealthService([SYNC_SERVICE_NAME]);
  const started = await startSyncServer({
    host: '127.0.0.1',
    port: 0,
    handler: new FlagSyncHandler({ state, syncContext: { tier: 'gold' } }),
    health,
    ...options,
  });
  if (!started.ok) throw started.error;
  cleanups.push(() => started.value.close());
  return { server: started.value, state, health };
}

function client(
  port: number,
  ...rest: Parameters<typeof createSyncClient> extends [number, ...infer R] ? R : never
): Client {
  const created = createSyncClient(port, ...rest);
  cleanups.push(() => created.close());
  return created;
}

describe('sync server: selectors', () => {
  it('streams every flag without a selector, with the sync context', async () => {
    const { server } = await serve();
    const first = await openSyncStream(client(server.port)).message(0);
    expect(flagKeysOf(first)).toEqual(['pay', 'ship']);
    expect(first.syncContext?.fields).toEqual({ tier: expect.objectContaining({ stringValue: 'gold' }) });
  });

  it('lets the flagd-selector header win over the request field', async () => {
    const { server } = await serve();
    const stream = openSyncStream(client(server.port), {
      selector: 'flagSetId=payments',
      header: 'flagSetId=shipping',
    });
    expect(flagKeysOf(await stream.message(0))).toEqual(['ship']);
  });

  it('selects a source by file name with or without the source= key', async () => {
    const { server } = await serve();
    const grpcClient = client(server.port);
    expect(flagKeysOf(await openSyncStream(grpcClient, { header: 'source=payments.json' }).message(0))).toEqual([
      'pay',
    ]);
    expect(flagKeysOf(await openSyncStream(grpcClient, { selector: 'shipping.json' }).message(0))).toEqual(['ship']);
  });

  it('ends the stream with INVALID_ARGUMENT for an unknown selector key', async () => {
    const { server } = await serve();
    const stream = openSyncStream(client(server.port), { header: 'team=payments' });
    expect((await stream.status).code).toBe(status.INVALID_ARGUMENT);
    expect(stream.messages).toHaveLength(0);
  });

  it('sends the empty document for an unknown set and never another set’s flags after a change', async () => {
    const { server, state } = await serve();
    const unknown = openSyncStream(client(server.port), { header: 'flagSetId=nope' });
    expect((await unknown.message(0)).flagConfiguration).toBe('{"flags":{}}');
    const scoped = openSyncStream(client(server.port), { header: 'flagSetId=payments' });
    await scoped.message(0);
    state.update('shipping.json', {
      ...shipping,
      extra: { state: 'ENABLED', variants: { a: 'a' }, defaultVariant: 'a', metadata: { flagSetId: 'payments' } },
    });
    expect(flagKeysOf(await scoped.message(1))).toEqual(['extra', 'pay']);
    expect(unknown.messages).toHaveLength(1);
  });

  it('answers FetchAllFlags with the selected flags', async () => {
    const { server } = await serve();
    expect(flagKeysOf(await fetchAllFlags(client(server.port), { header: 'flagSetId=shipping' }))).toEqual(['ship']);
  });
});

describe('sync server: bearer token', () => {
  it('accepts the right token', async () => {
    const { server } = await serve({ token: 't0ken' });
    expect(flagKeysOf(await openSyncStream(client(server.port), { token: 't0ken' }).message(0))).toEqual([
      'pay',
      'ship',
    ]);
  });

  it.each([
    ['missing', undefined],
    ['wrong', 'nope'],
  ])('answers UNAUTHENTICATED to a %s token on streams and unary calls', async (_name, token) => {
    const { server } = await serve({ token: 't0ken' });
    const grpcClient = client(server.port);
    const options = token === undefined ? {} : { token };
    expect((await openSyncStream(grpcClient, options).status).code).toBe(status.UNAUTHENTICATED);
    await expect(fetchAllFlags(grpcClient, options)).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
  });
});

describe('sync server: TLS', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'sync-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        path.join(directory, 'key.pem'),
        '-out',
        path.join(directory, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('serves clients that trust the certificate', async () => {
    const { server } = await serve({
      tls: { certPath: path.join(directory, 'cert.pem'), keyPath: path.join(directory, 'key.pem') },
    });
    const secure = client(server.port, credentials.createSsl(readFileSync(path.join(directory, 'cert.pem'))), {
      'grpc.ssl_target_name_override': 'localhost',
    });
    expect(flagKeysOf(await openSyncStream(secure).message(0))).toEqual(['pay', 'ship']);
  });

  it('refuses plaintext clients', async () => {
    const { server } = await serve({
      tls: { certPath: path.join(directory, 'cert.pem'), keyPath: path.join(directory, 'key.pem') },
    });
    expect((await openSyncStream(client(server.port)).status).code).toBe(status.UNAVAILABLE);
  });

  it('reports a missing certificate by name', async () => {
    const missing = path.join(directory, 'missing.pem');
    const started = await startSyncServer({
      host: '127.0.0.1',
      port: 0,
      tls: { certPath: missing, keyPath: missing },
      handler: new FlagSyncHandler({ state: loadedState() }),
      health: new HealthService([]),
    });
    expect(!started.ok && started.error.message).toBe(`TLS certificate not found: ${missing}`);
  });
});

describe('sync server: grpc.health.v1', () => {
  it('answers NOT_SERVING, then SERVING once told, without asking for the token', async () => {
    const { server, health } = await serve({ token: 't0ken' });
    expect(await checkHealth(server.port, SYNC_SERVICE_NAME, cleanups)).toEqual({ status: 'NOT_SERVING' });
    health.setStatus('SERVING');
    expect(await checkHealth(server.port, '', cleanups)).toEqual({ status: 'SERVING' });
  });

  it('answers NOT_FOUND for a service it does not serve', async () => {
    const { server } = await serve();
    await expect(checkHealth(server.port, 'other.v1.Service', cleanups)).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
  });
});

describe('sync server: lifecycle', () => {
  it('ends open streams with UNAVAILABLE on shutdown, never OK', async () => {
    const { server } = await serve();
    const grpcClient = client(server.port);
    const streams = [openSyncStream(grpcClient), openSyncStream(grpcClient, { header: 'flagSetId=payments' })];
    await Promise.all(streams.map((stream) => stream.message(0)));
    await server.close();
    const statuses = await Promise.all(streams.map((stream) => stream.status));
    expect(statuses.map((s) => s.code)).toEqual([status.UNAVAILABLE, status.UNAVAILABLE]);
  });

  it('reports a port already in use', async () => {
    const { server } = await serve();
    const second = await startSyncServer({
      host: '127.0.0.1',
      port: server.port,
      handler: new FlagSyncHandler({ state: loadedState() }),
      health: new HealthService([]),
    });
    expect(!second.ok && second.error.message).toMatch(`Cannot listen on 127.0.0.1:${server.port}`);
  });
});
