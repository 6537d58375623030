import { ProviderEvents, type EventDetails } from '@openfeature/server-sdk';
import { describe, expect, it } from 'vitest';
import type { GrpcSyncSourceOptions } from '../../../src/flagd/sources/grpc-sync-source-options.js';
import { GenesisProvider } from '../../../src/provider/genesis-provider.js';
import type { GenesisProviderOptions } from '../../../src/provider/provider-options.js';
import type { SourceListener } from '../../../src/sources/flag-source.js';

/** A sync source the test drives by hand: `start` delivers the initial payload or fails. */
class FakeSyncSource {
  readonly retriesAfterFailedStart = true;
  stopped = false;
  constructor(
    readonly options: GrpcSyncSourceOptions,
    readonly listener: SourceListener,
    private readonly initial: { text: string; fromCache: boolean } | Error,
  ) {}
  async start(): Promise<void> {
    if (this.initial instanceof Error) throw this.initial;
    this.listener.payload(this.initial.text, this.initial.fromCache);
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

function flagsText(values: Readonly<Record<string, boolean>>): string {
  const flags = Object.fromEntries(
    Object.entries(values).map(([key, on]) => [
      key,
      { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: on ? 'on' : 'off' },
    ]),
  );
  return JSON.stringify({ flags });
}

const LOST = new Error('Flag sync stream from 127.0.0.1:8015 lost (UNAVAILABLE: shutting down)');

function setup(initial: { text: string; fromCache?: boolean } | Error, options: GenesisProviderOptions = {}) {
  let created: FakeSyncSource | undefined;
  const logged: string[] = [];
  const logger = {
    error: (m: string) => void logged.push(m),
    warn: (m: string) => void logged.push(m),
    info: () => {},
    debug: () => {},
  };
  const provider = new GenesisProvider(
    { sync: { host: '127.0.0.1', port: 8015 }, environment: {}, logger, ...options },
    {
      createSyncSource: (sourceOptions, listener) => {
        created = new FakeSyncSource(
          sourceOptions,
          listener,
          initial instanceof Error ? initial : { text: initial.text, fromCache: initial.fromCache ?? false },
        );
        return created;
      },
    },
  );
  const events: { type: ProviderEvents; details: EventDetails | undefined }[] = [];
  for (const type of [
    ProviderEvents.Ready,
    ProviderEvents.Error,
    ProviderEvents.Stale,
    ProviderEvents.ConfigurationChanged,
  ]) {
    provider.events.addHandler(type, (details) => void events.push({ type, details }));
  }
  const source = (): FakeSyncSource => {
    if (created === undefined) throw new Error('no source was created');
    return created;
  };
  const details = (key: string, context = {}) => provider.resolveBooleanEvaluation(key, false, context);
  return { provider, source, events, logged, details, types: () => events.map((event) => event.type) };
}

describe('GenesisProvider in sync mode', () => {
  it('hands the sync settings to its source and is ready with the first payload', async () => {
    const t = setup(
      { text: flagsText({ banner: true }) },
      { sync: { host: '127.0.0.1', port: 9000, selector: 'flagSetId=web', token: 't', cachePath: '/tmp/c.json' } },
    );
    await t.provider.initialize();
    expect(t.source().options).toMatchObject({
      host: '127.0.0.1',
      port: 9000,
      selector: 'flagSetId=web',
      token: 't',
      cachePath: '/tmp/c.json',
    });
    expect(await t.details('banner')).toMatchObject({ value: true, variant: 'on', reason: 'STATIC' });
    expect(t.events).toEqual([]);
  });

  it('reads payloads as JSON even when the selector names a YAML file', async () => {
    const t = setup(
      { text: flagsText({ banner: true }) },
      { sync: { host: '127.0.0.1', port: 8015, selector: 'config/flags.yaml' } },
    );
    await t.provider.initialize();
    expect((await t.details('banner')).value).toBe(true);
  });

  it('emits CONFIGURATION_CHANGED with exactly the keys a new payload changed', async () => {
    const t = setup({ text: flagsText({ a: true, b: true }) });
    await t.provider.initialize();
    t.source().listener.payload(flagsText({ a: true, b: false, c: true }), false);
    expect(t.events).toEqual([{ type: ProviderEvents.ConfigurationChanged, details: { flagsChanged: ['b', 'c'] } }]);
    expect((await t.details('b')).value).toBe(false);
  });

  it('goes STALE at once on a lost stream, ERROR after the grace period, READY when back, serving the last flags throughout', async () => {
    const t = setup({ text: flagsText({ banner: true }) });
    await t.provider.initialize();
    t.source().listener.stale(LOST);
    expect(await t.details('banner')).toMatchObject({ value: true, reason: 'STATIC' });
    t.source().listener.failed(LOST);
    expect(await t.details('banner')).toMatchObject({ value: true, reason: 'STATIC' });
    t.source().listener.recovered();
    expect(t.types()).toEqual([ProviderEvents.Stale, ProviderEvents.Error, ProviderEvents.Ready]);
    expect(t.events[0]?.details).toEqual({ message: LOST.message });
    expect(t.logged).toEqual([
      `Serving the last flags: ${LOST.message}`,
      `Keeping the last good flags: ${LOST.message}`,
    ]);
  });

  it('emits READY then CONFIGURATION_CHANGED when the stream comes back with changed flags', async () => {
    const t = setup({ text: flagsText({ banner: true }) });
    await t.provider.initialize();
    t.source().listener.stale(LOST);
    t.source().listener.payload(flagsText({ banner: false }), false);
    t.source().listener.recovered();
    expect(t.types()).toEqual([ProviderEvents.Stale, ProviderEvents.Ready, ProviderEvents.ConfigurationChanged]);
    expect(t.events[2]?.details).toEqual({ flagsChanged: ['banner'] });
  });

  it('keeps the last flags and emits ERROR when the server sends a document it cannot load', async () => {
    const t = setup({ text: flagsText({ banner: true }) });
    await t.provider.initialize();
    t.source().listener.payload('{"flags": ', false);
    expect(t.types()).toEqual([ProviderEvents.Error]);
    expect((await t.details('banner')).value).toBe(true);
  });

  it('marks results from the cache with source: cache, keeping reason and variant, until live flags arrive', async () => {
    const t = setup({ text: flagsText({ banner: true, legacy: false }), fromCache: true });
    await t.provider.initialize();
    expect(await t.details('banner')).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'STATIC',
      flagMetadata: { source: 'cache' },
    });
    expect(await t.details('missing')).toMatchObject({
      errorCode: 'FLAG_NOT_FOUND',
      flagMetadata: { source: 'cache' },
    });
    t.source().listener.payload(flagsText({ banner: true, legacy: true }), false);
    t.source().listener.recovered();
    expect(t.events).toEqual([{ type: ProviderEvents.ConfigurationChanged, details: { flagsChanged: ['legacy'] } }]);
    expect(await t.details('banner')).toMatchObject({ value: true, reason: 'STATIC', flagMetadata: {} });
    expect((await t.details('banner')).flagMetadata).not.toHaveProperty('source');
  });

  it('announces the switch from cached to live flags even when they are the same, naming the flags (their metadata changes)', async () => {
    const t = setup({ text: flagsText({ banner: true }), fromCache: true });
    await t.provider.initialize();
    t.source().listener.payload(flagsText({ banner: true }), false);
    expect(t.events).toEqual([{ type: ProviderEvents.ConfigurationChanged, details: { flagsChanged: ['banner'] } }]);
  });

  it('keeps source: env on a flag overridden from the environment while serving the cache', async () => {
    const t = setup({ text: flagsText({ banner: true }), fromCache: true }, { environment: { BANNER: 'off' } });
    await t.provider.initialize();
    expect(await t.details('banner')).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'STATIC',
      flagMetadata: { source: 'env' },
    });
  });

  it("merges the server's sync context over the caller's context", async () => {
    const targeted = JSON.stringify({
      flags: {
        internal: {
          state: 'ENABLED',
          variants: { on: true, off: false },
          defaultVariant: 'off',
          targeting: { if: [{ '==': [{ var: 'zone' }, 'inside'] }, 'on', 'off'] },
        },
      },
    });
    const t = setup({ text: targeted });
    await t.provider.initialize();
    expect((await t.details('internal', { zone: 'inside' })).value).toBe(true);
    t.source().listener.syncContext({ zone: 'outside' });
    expect((await t.details('internal', { zone: 'inside' })).value).toBe(false);
    t.source().listener.syncContext({ zone: 'inside' });
    expect(await t.details('internal')).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
  });

  it('rejects initialisation when the server is out of reach, keeps the source, and becomes READY with its first payload', async () => {
    const t = setup(new Error('Cannot reach flag sync server 127.0.0.1:8015 (connection failed)'));
    await expect(t.provider.initialize()).rejects.toThrow(
      'Cannot reach flag sync server 127.0.0.1:8015 (connection failed)',
    );
    expect(t.source().stopped).toBe(false);
    t.source().listener.payload(flagsText({ banner: true, other: false }), false);
    t.source().listener.recovered();
    expect(t.types()).toEqual([ProviderEvents.Ready, ProviderEvents.ConfigurationChanged]);
    expect(t.events[1]?.details).toEqual({ flagsChanged: ['banner', 'other'] });
    expect((await t.details('banner')).value).toBe(true);
  });

  it('stops its source on close and ignores it afterwards', async () => {
    const t = setup({ text: flagsText({ banner: true }) });
    await t.provider.initialize();
    await t.provider.onClose();
    expect(t.source().stopped).toBe(true);
    t.source().listener.stale(LOST);
    t.source().listener.payload(flagsText({ banner: false }), false);
    expect(t.events).toEqual([]);
    expect((await t.details('banner')).value).toBe(true);
  });
});
