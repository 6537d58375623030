import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as CompileFlagModule from '../../../src/flagd/compile-flag.js';
import type * as FingerprintFlagModule from '../../../src/flagd/fingerprint-flag.js';
import type * as NormalizeFlagModule from '../../../src/flagd/parse/normalize-flag.js';
import type { FlagSource, SourceListener } from '../../../src/sources/flag-source.js';
import { GenesisProvider } from '../../../src/provider/genesis-provider.js';
import { SelectionStores } from '../../../src/server/evaluation/selection-stores.js';
import { ServerMetrics } from '../../../src/server/server-metrics.js';
import { SyncRuntime } from '../../../src/server/sync-runtime.js';

/**
 * The keys each step of loading worked on, counted where the work is done (normalising a flag,
 * fingerprinting it, compiling it), through the modules every loader and store import.
 */
const work = vi.hoisted(() => ({
  normalized: [] as string[],
  fingerprinted: [] as string[],
  compiled: [] as string[],
}));

vi.mock('../../../src/flagd/parse/normalize-flag.js', async (importOriginal) => {
  const actual = await importOriginal<typeof NormalizeFlagModule>();
  return {
    ...actual,
    normalizeFlag: (...args: Parameters<typeof actual.normalizeFlag>) => {
      work.normalized.push(args[0]);
      return actual.normalizeFlag(...args);
    },
  };
});
vi.mock('../../../src/flagd/fingerprint-flag.js', async (importOriginal) => {
  const actual = await importOriginal<typeof FingerprintFlagModule>();
  return {
    ...actual,
    fingerprintFlag: (...args: Parameters<typeof actual.fingerprintFlag>) => {
      work.fingerprinted.push(args[0].key);
      return actual.fingerprintFlag(...args);
    },
  };
});
vi.mock('../../../src/flagd/compile-flag.js', async (importOriginal) => {
  const actual = await importOriginal<typeof CompileFlagModule>();
  return {
    ...actual,
    compileFlag: (...args: Parameters<typeof actual.compileFlag>) => {
      work.compiled.push(args[0].key);
      return actual.compileFlag(...args);
    },
  };
});

const FLAG_COUNT = 200;
const key = (index: number) => `flag-${String(index).padStart(4, '0')}`;

/** A flagd document of targeted flags; `flipped` has its default variant the other way. */
function flagdText(flipped?: string): string {
  const flags: Record<string, unknown> = {};
  for (let index = 0; index < FLAG_COUNT; index++) {
    flags[key(index)] = {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: key(index) === flipped ? 'on' : 'off',
      targeting: { if: [{ ends_with: [{ var: 'email' }, `@team-${index}.example`] }, 'on', null] },
    };
  }
  return JSON.stringify({ flags });
}

/** A Genesis document of percentage rollouts, a parent and its child; `changed` rolls out to 60% instead of 30%. */
function genesisText(changed?: string): string {
  const flags: Record<string, unknown> = { parent: { enabled: true } };
  for (let index = 0; index < FLAG_COUNT; index++) {
    const percentage = key(index) === changed ? 60 : 30;
    flags[key(index)] = { enabled: true, rollout_strategy: 'percentage', rollout_percentage: percentage };
  }
  flags['child'] = { enabled: true, requires: ['parent'] };
  return JSON.stringify({ version: '1.0', flags });
}

/** A source that hands over whatever text the test pushes. */
class PushedSource implements FlagSource {
  readonly retriesAfterFailedStart = false;
  constructor(
    readonly listener: SourceListener,
    readonly first: string,
  ) {}
  async start(): Promise<void> {
    this.listener.payload(this.first, false);
  }
  async stop(): Promise<void> {}
}

function resetWork(): void {
  work.normalized.length = 0;
  work.fingerprinted.length = 0;
  work.compiled.length = 0;
}

const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

afterEach(resetWork);

describe.each([
  ['a flagd file', flagdText, 'flags.flagd.json'],
  ['a Genesis file', genesisText, 'feature_flags.json'],
])('a one-flag change to %s of 200 flags', (_, textOf, path) => {
  it('re-normalises, fingerprints and compiles that flag only, in the provider', async () => {
    let source: PushedSource | undefined;
    const provider = new GenesisProvider(
      { path, envOverrides: false, logger: silent },
      { createFileSource: (_path, _debounceMs, listener) => (source = new PushedSource(listener, textOf())) },
    );
    await provider.initialize();
    expect(work.compiled.length).toBeGreaterThanOrEqual(FLAG_COUNT);
    resetWork();

    source?.listener.payload(textOf(key(100)), false);

    // Fingerprinted: its old and its new definition (the first load fingerprints nothing).
    expect(work).toEqual({
      normalized: ['flag-0100'],
      fingerprinted: ['flag-0100', 'flag-0100'],
      compiled: ['flag-0100'],
    });
    await provider.onClose();
  });

  it('re-normalises, fingerprints and compiles that flag only, in the server', async () => {
    const sources: PushedSource[] = [];
    const runtime = new SyncRuntime({
      origins: [path],
      createSource: (_path, listener) => {
        const source = new PushedSource(listener, textOf());
        sources.push(source);
        return source;
      },
      metrics: new ServerMetrics([path]),
      logger: silent,
      timers: { schedule: () => () => undefined },
    });
    await runtime.start();
    const stores = new SelectionStores(runtime.state);
    expect(stores.store({ kind: 'all' })?.size).toBe(textOf === genesisText ? FLAG_COUNT + 2 : FLAG_COUNT);
    resetWork();

    sources[0]?.listener.payload(textOf(key(100)), false);

    // Fingerprinted: its old and its new definition (the first load fingerprints nothing).
    expect(work).toEqual({
      normalized: ['flag-0100'],
      fingerprinted: ['flag-0100', 'flag-0100'],
      compiled: ['flag-0100'],
    });
    stores.close();
    await runtime.stop();
  });
});
