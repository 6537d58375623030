import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GrpcSyncSource } from '../../src/flagd/sources/grpc-sync-source.js';
import type { GrpcSyncSourceOptions } from '../../src/flagd/sources/grpc-sync-source-options.js';
import { FlagSyncHandler } from '../../src/flagd/sync/flag-sync-handler.js';
import { HealthService } from '../../src/flagd/sync/health-service.js';
import { SyncFlagState, type WireFlags } from '../../src/flagd/sync/sync-flag-state.js';
import { startSyncServer, type RunningSyncServer, type SyncServerOptions } from '../../src/flagd/sync/sync-server.js';
import type { SourceListener } from '../../src/sources/flag-source.js';

function flags(value: string, flagSetId = 'main'): WireFlags {
  return { color: { state: 'ENABLED', variants: { v: value }, defaultVariant: 'v', metadata: { flagSetId } } };
}

/** Records every call, and lets a test wait for the next one of a kind. */
class Recorder implements SourceListener {
  readonly events: string[] = [];
  readonly payloads: { text: string; fromCache: boolean }[] = [];
  contexts: object[] = [];
  #waiters: { kind: string; wake: () => void }[] = [];

  payload(text: string, fromCache: boolean): void {
    this.payloads.push({ text, fromCache });
    this.#record(fromCache ? 'payload:cache' : 'payload:live');
  }
  failed(error: Error): void {
    this.#record('failed', error.message);
  }
  stale(error: Error): void {
    this.#record('stale', error.message);
  }
  recovered(): void {
    this.#record('recovered');
  }
  syncContext(context: object): void {
    this.contexts.push(context);
  }
  next(kind: string): Promise<void> {
    return new Promise((wake) => this.#waiters.push({ kind, wake }));
  }
  lastFlags(): WireFlags {
    const last = this.payloads.at(-1);
    if (last === undefined) throw new Error('no payload yet');
    return (JSON.parse(last.text) as { flags: WireFlags }).flags;
  }
  #record(kind: string, detail?: string): void {
    this.events.push(detail === undefined ? kind : `${kind}: ${detail}`);
    for (const waiter of this.#waiters.filter((w) => w.kind === kind)) waiter.wake();
    this.#waiters = this.#waiters.filter((w) => w.kind !== kind);
  }
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'grpc-source-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function serve(state: SyncFlagState, options: Partial<SyncServerOptions> = {}): Promise<RunningSyncServer> {
  const started = await startSyncServer({
    host: '127.0.0.1',
    port: 0,
    handler: new FlagSyncHandler({ state, syncContext: { zone: 'a' } }),
    health: new HealthService([]),
    ...options,
  });
  if (!started.ok) throw started.error;
  cleanups.push(() => started.value.close());
  return started.value;
}

function stateWith(source: WireFlags, other: WireFlags = flags('other', 'other')): SyncFlagState {
  const state = new SyncFlagState(['main.json', 'other.json']);
  state.update('main.json', source);
  state.update('other.json', other);
  return state;
}

function source(port: number, recorder: Recorder, options: Partial<GrpcSyncSourceOptions> = {}): GrpcSyncSource {
  const created = new GrpcSyncSource(
    { host: '127.0.0.1', port, initialBackoffMs: 20, maxBackoffMs: 100, retryGracePeriodMs: 200, ...options },
    recorder,
  );
  cleanups.push(() => created.stop());
  return created;
}

describe('GrpcSyncSource', () => {
  it('delivers the first payload before start resolves, with the sync context', async () => {
    const server = await serve(stateWith(flags('red')));
    const recorder = new Recorder();
    await source(server.port, recorder, { selector: 'source=main.json' }).start();
    expect(recorder.payloads).toEqual([{ text: JSON.stringify({ flags: flags('red') }), fromCache: false }]);
    expect(recorder.contexts).toEqual([{ zone: 'a' }]);
  });

  it('delivers each change', async () => {
    const state = stateWith(flags('red'));
    const server = await serve(state);
    const recorder = new Recorder();
    await source(server.port, recorder, { selector: 'flagSetId=main' }).start();
    const changed = recorder.next('payload:live');
    state.update('main.json', flags('blue'));
    await changed;
    expect(recorder.lastFlags()).toEqual(flags('blue'));
  });

  it('goes stale at once when the server stops, errors after the grace period, and recovers when it is back', async () => {
    const state = stateWith(flags('red'));
    const server = await serve(state);
    const recorder = new Recorder();
    await source(server.port, recorder, { selector: 'source=main.json' }).start();
    const stale = recorder.next('stale');
    const failed = recorder.next('failed');
    await server.close();
    await stale;
    await failed;
    state.update('main.json', flags('green'));
    const reconnected = recorder.next('recovered');
    await serve(state, { port: server.port });
    await reconnected;
    expect(recorder.events.map((event) => event.split(':')[0])).toEqual([
      'payload',
      'stale',
      'failed',
      'payload',
      'recovered',
    ]);
    expect(recorder.events[1]).toMatch(/UNAVAILABLE/);
    expect(recorder.lastFlags()).toEqual(flags('green'));
  });

  it('rejects start, naming the server, when it is down and there is no cache', async () => {
    const server = await serve(stateWith(flags('red')));
    const port = server.port;
    await server.close();
    await expect(source(port, new Recorder()).start()).rejects.toThrow(`127.0.0.1:${port}`);
  });

  it('starts from the cache while the server is down, then takes the live flags', async () => {
    const cachePath = path.join(directory, 'flags-cache.json');
    const state = stateWith(flags('red'));
    const server = await serve(state);
    const first = new Recorder();
    const writer = source(server.port, first, { selector: 'source=main.json', cachePath });
    await writer.start();
    await writer.stop();
    await server.close();
    expect(JSON.parse(readFileSync(cachePath, 'utf8'))).toEqual({ flags: flags('red') });

    const recorder = new Recorder();
    await source(server.port, recorder, { selector: 'source=main.json', cachePath }).start();
    expect(recorder.payloads).toEqual([{ text: JSON.stringify({ flags: flags('red') }), fromCache: true }]);
    state.update('main.json', flags('blue'));
    const reconnected = recorder.next('recovered');
    await serve(state, { port: server.port });
    await reconnected;
    expect(recorder.payloads.at(-1)?.fromCache).toBe(false);
    expect(recorder.lastFlags()).toEqual(flags('blue'));
  });

  it('confirms identical cached flags as live once the server is back', async () => {
    const cachePath = path.join(directory, 'same-cache.json');
    const state = stateWith(flags('red'));
    const server = await serve(state);
    const writer = source(server.port, new Recorder(), { selector: 'source=main.json', cachePath });
    await writer.start();
    await writer.stop();
    await server.close();
    const recorder = new Recorder();
    await source(server.port, recorder, { selector: 'source=main.json', cachePath }).start();
    const reconnected = recorder.next('recovered');
    await serve(state, { port: server.port });
    await reconnected;
    expect(recorder.events).toEqual(['payload:cache', 'payload:live', 'recovered']);
    expect(recorder.payloads[0]?.text).toBe(recorder.payloads[1]?.text);
  });

  it.each([
    ['the right token', 's3cret', undefined],
    ['a wrong token', 'nope', /UNAUTHENTICATED/],
    ['no token', undefined, /UNAUTHENTICATED/],
  ])('connects to a token-protected server with %s, or rejects saying why', async (_name, token, failure) => {
    const server = await serve(stateWith(flags('red')), { token: 's3cret' });
    const started = source(server.port, new Recorder(), token === undefined ? {} : { token }).start();
    if (failure === undefined) await expect(started).resolves.toBeUndefined();
    else await expect(started).rejects.toThrow(failure);
  });

  it('connects over TLS to a server whose certificate it trusts', async () => {
    const certPath = path.join(directory, 'cert.pem');
    const keyPath = path.join(directory, 'key.pem');
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
        'subjectAltName=DNS:localhost',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: 'ignore' },
    );
    const server = await serve(stateWith(flags('red')), { tls: { certPath, keyPath } });
    const recorder = new Recorder();
    await source(server.port, recorder, {
      host: 'localhost',
      tls: true,
      caCertPath: certPath,
      selector: 'source=main.json',
    }).start();
    expect(recorder.lastFlags()).toEqual(flags('red'));
  });
});
