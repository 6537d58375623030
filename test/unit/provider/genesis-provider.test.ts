import { ProviderEvents, type EventDetails } from '@openfeature/server-sdk';
import { describe, expect, it } from 'vitest';
import { GenesisProvider } from '../../../src/provider/genesis-provider.js';
import type { GenesisProviderOptions } from '../../../src/provider/provider-options.js';
import type { SourceListener } from '../../../src/sources/flag-source.js';

/** A source the test drives by hand: `start` delivers the initial text, `push` a later one. */
class FakeSource {
  readonly retriesAfterFailedStart = false;
  stopped = false;
  listener: SourceListener | undefined;
  constructor(
    readonly path: string,
    readonly debounceMs: number,
    private readonly initial: string | Error,
  ) {}
  async start(): Promise<void> {
    if (this.initial instanceof Error) throw this.initial;
    this.listener?.payload(this.initial, false);
  }
  async stop(): Promise<void> {
    await Promise.resolve();
    this.stopped = true;
  }
  push(text: string): void {
    this.listener?.payload(text, false);
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

function setup(files: Readonly<Record<string, string | Error>>, options: GenesisProviderOptions = {}) {
  const sources = new Map<string, FakeSource>();
  const logged = { errors: [] as string[], warnings: [] as string[] };
  const logger = {
    error: (m: string) => void logged.errors.push(m),
    warn: (m: string) => void logged.warnings.push(m),
    info: () => {},
    debug: () => {},
  };
  const provider = new GenesisProvider(
    { path: Object.keys(files), environment: {}, logger, ...options },
    {
      createFileSource: (path, debounceMs, listener) => {
        const source = new FakeSource(path, debounceMs, files[path] ?? new Error(`unexpected ${path}`));
        source.listener = listener;
        sources.set(path, source);
        return source;
      },
    },
  );
  const events: { type: ProviderEvents; details: EventDetails | undefined }[] = [];
  for (const type of [ProviderEvents.Ready, ProviderEvents.Error, ProviderEvents.ConfigurationChanged]) {
    provider.events.addHandler(type, (details) => void events.push({ type, details }));
  }
  const source = (path: string) => sources.get(path) as FakeSource;
  const value = async (key: string) => (await provider.resolveBooleanEvaluation(key, false, {})).value;
  return { provider, source, sources, events, logged, value };
}

describe('GenesisProvider', () => {
  it('serves the merged flags of every source once initialised, later paths winning', async () => {
    const t = setup({ 'a.json': flagsText({ x: true, y: true }), 'b.json': flagsText({ y: false }) });
    await t.provider.initialize();
    expect(await t.value('x')).toBe(true);
    expect(await t.value('y')).toBe(false);
    expect(t.events).toEqual([]);
  });

  it('hands the configured debounce to each file source', async () => {
    const t = setup({ 'a.json': flagsText({ x: true }) }, { debounceMs: 123 });
    await t.provider.initialize();
    expect(t.source('a.json').debounceMs).toBe(123);
  });

  it('resolves a static flag with its variant, reason and metadata', async () => {
    const t = setup({ 'a.json': flagsText({ x: true }) });
    await t.provider.initialize();
    expect(await t.provider.resolveBooleanEvaluation('x', false, {})).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'STATIC',
      flagMetadata: {},
    });
  });

  it('emits CONFIGURATION_CHANGED with exactly the changed keys, and nothing when no flag changed', async () => {
    const t = setup({ 'a.json': flagsText({ x: true, y: true, z: true }) });
    await t.provider.initialize();
    t.source('a.json').push(flagsText({ x: true, y: true, z: true }));
    t.source('a.json').push(flagsText({ x: false, y: true, w: true }));
    expect(t.events.map((event) => event.type)).toEqual([ProviderEvents.ConfigurationChanged]);
    expect([...((t.events[0]?.details?.flagsChanged ?? []) as string[])].sort()).toEqual(['w', 'x', 'z']);
  });

  it('keeps the last good flags on a bad payload, logging and emitting PROVIDER_ERROR, then recovers', async () => {
    const t = setup({ 'a.json': flagsText({ x: true }) });
    await t.provider.initialize();
    t.source('a.json').push('{ not json');
    expect(t.events.map((event) => event.type)).toEqual([ProviderEvents.Error]);
    expect(t.events[0]?.details?.message).toContain('a.json');
    expect(t.logged.errors).toHaveLength(1);
    expect(await t.value('x')).toBe(true);

    t.source('a.json').push(flagsText({ x: false }));
    expect(t.events.map((event) => event.type)).toEqual([
      ProviderEvents.Error,
      ProviderEvents.Ready,
      ProviderEvents.ConfigurationChanged,
    ]);
    expect(t.events[2]?.details?.flagsChanged).toEqual(['x']);
    expect(await t.value('x')).toBe(false);
  });

  it('names the flags that came back when a broken file is fixed to its last good content', async () => {
    const t = setup({ 'a.json': flagsText({ x: true, y: false }), 'b.json': flagsText({ z: true }) });
    await t.provider.initialize();
    t.source('a.json').push('{ "flags": ');
    t.source('a.json').push(flagsText({ x: true, y: false }));
    expect(t.events.map((event) => event.type)).toEqual([
      ProviderEvents.Error,
      ProviderEvents.Ready,
      ProviderEvents.ConfigurationChanged,
    ]);
    expect(t.events[2]?.details?.flagsChanged).toEqual(['x', 'y']);
  });

  it('reports READY only once every failing source has recovered', async () => {
    const t = setup({ 'a.json': flagsText({ x: true }), 'b.json': flagsText({ y: true }) });
    await t.provider.initialize();
    t.source('a.json').push('{');
    t.source('b.json').push('{');
    t.source('a.json').push(flagsText({ x: false }));
    expect(t.events.map((event) => event.type)).toEqual([
      ProviderEvents.Error,
      ProviderEvents.Error,
      ProviderEvents.ConfigurationChanged,
    ]);
    t.source('b.json').push(flagsText({ y: true }));
    expect(t.events.slice(3).map((event) => event.type)).toEqual([
      ProviderEvents.Ready,
      ProviderEvents.ConfigurationChanged,
    ]);
    expect(t.events[4]?.details?.flagsChanged).toEqual(['y']);
  });

  it('rejects initialisation with a source failure and stops the sources that started', async () => {
    const t = setup({ 'a.json': flagsText({ x: true }), 'b.json': new Error('File not found: b.json') });
    await expect(t.provider.initialize()).rejects.toThrow('File not found: b.json');
    expect(t.source('a.json').stopped).toBe(true);
    expect(t.events).toEqual([]);
  });

  it('rejects initialisation with the parse error of a malformed first payload', async () => {
    const t = setup({ 'a.json': '{ "flags": ' });
    await expect(t.provider.initialize()).rejects.toThrow(/a\.json/);
    expect(t.source('a.json').stopped).toBe(true);
  });

  it('stops every source on close, waits for them, and ignores payloads afterwards', async () => {
    const t = setup({ 'a.json': flagsText({ x: true }), 'b.json': flagsText({ y: true }) });
    await t.provider.initialize();
    await t.provider.onClose();
    expect([...t.sources.values()].map((source) => source.stopped)).toEqual([true, true]);
    t.source('a.json').push(flagsText({ x: false }));
    expect(t.events).toEqual([]);
    expect(await t.value('x')).toBe(true);
  });

  it('serves inline flags without any file', async () => {
    const t = setup({}, { flags: JSON.parse(flagsText({ inline: true })) });
    await t.provider.initialize();
    expect(await t.value('inline')).toBe(true);
  });

  it('rejects initialisation when there is nothing to serve', async () => {
    const t = setup({});
    await expect(t.provider.initialize()).rejects.toThrow(/^No flags to serve/);
  });
});
