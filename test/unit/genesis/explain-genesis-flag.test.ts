import fc from 'fast-check';
import murmur from 'murmurhash-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlagStore } from '../../../src/flagd/flag-store.js';
import type { EvaluationContext, FlagSetDocument } from '../../../src/flagd/model.js';
import { normalizeFlagSet } from '../../../src/flagd/parse/flag-set-normalizer.js';
import { applyGenesisEnvOverrides } from '../../../src/genesis/apply-genesis-env-overrides.js';
import { explainGenesisFlag, type Decision } from '../../../src/genesis/explain-genesis-flag.js';
import type { GenesisDocument } from '../../../src/genesis/genesis-document.js';
import { translateGenesisDocument } from '../../../src/genesis/translate-genesis-document.js';
import { flagdCoreOracle } from './flagd-core-oracle.js';

const DAY = 86_400;
const START = Date.parse('2025-10-18T00:00:00Z') / 1000;

/** Every strategy, parents on and off (`!`), a chain of parents, partial parents. */
const DOC: GenesisDocument = {
  flags: {
    master: { enabled: true },
    kill: { enabled: false },
    half: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 50 },
    linear: {
      enabled: true,
      rollout_strategy: 'progressive',
      start_date: '2025-10-18T00:00:00Z',
      end_date: '2025-10-25T00:00:00Z',
      requires: ['master', '!kill'],
    },
    stepped: {
      enabled: true,
      rollout_strategy: 'progressive',
      steps: 'safe',
      start_date: '2025-10-18',
      requires: ['half'],
    },
    canary: {
      enabled: true,
      rollout_strategy: 'canary',
      rollout_percentage: 20,
      canary_users: ['alice', 'bob'],
      canary_regions: ['eu'],
    },
    chained: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 75, requires: ['stepped', 'canary'] },
    disabled: { enabled: false, rollout_strategy: 'percentage', rollout_percentage: 100 },
    blocked: { enabled: true, requires: ['kill'] },
  },
};

function explain(doc: GenesisDocument, flagKey: string, context: EvaluationContext, nowSeconds: number): Decision {
  return explainGenesisFlag(flagKey, {
    doc,
    context,
    nowSeconds,
    overrideVariable: (key) => ({ name: key.toUpperCase(), value: undefined }),
  });
}

function translated(doc: GenesisDocument): FlagSetDocument {
  const outcome = translateGenesisDocument(doc);
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
}

function ourStore(doc: GenesisDocument): FlagStore {
  const set = normalizeFlagSet(translated(doc), { origin: 'test' });
  if (!set.ok) throw new Error(set.error);
  const store = new FlagStore();
  store.replace(set.value);
  return store;
}

const contexts: fc.Arbitrary<EvaluationContext> = fc.record(
  {
    targetingKey: fc.oneof(
      fc.constantFrom('alice', 'bob', ''),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }),
    ),
    region: fc.constantFrom('eu', 'us', 'apac'),
  },
  { requiredKeys: [] },
);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('explainGenesisFlag', () => {
  it('reaches the same answer as our evaluator and flagd-core on the translated flags, for random users and instants', () => {
    const store = ourStore(DOC);
    const oracle = flagdCoreOracle(translated(DOC));
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(DOC.flags)),
        contexts,
        fc.integer({ min: START - DAY, max: START + 9 * DAY }),
        (flagKey, context, now) => {
          const decision = explain(DOC, flagKey, context, now);
          const ours = store.evaluate(flagKey, 'boolean', false, context, { nowSeconds: () => now });
          expect(ours.value).toBe(decision.on);
          expect(oracle.evaluate(flagKey, context, now).value).toBe(decision.on);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees with the evaluator when an environment override switches a parent off', () => {
    const lookup = (key: string) => (key === 'master' ? { name: 'MASTER', value: 'false' } : undefined);
    const doc = applyGenesisEnvOverrides(DOC, lookup, () => {});
    const store = ourStore(doc);
    const decision = explain(doc, 'linear', { targetingKey: 'user-1' }, START + 3 * DAY);
    expect(decision).toMatchObject({ on: false, layer: 'parent' });
    expect(
      store.evaluate('linear', 'boolean', true, { targetingKey: 'user-1' }, { nowSeconds: () => START + 3 * DAY })
        .value,
    ).toBe(false);
  });

  it('gives the bucket flagd computes, floor(murmur3(flagKey + targetingKey) × 10000 / 2^32), and the ramp threshold at that instant', () => {
    const now = START + 2 * DAY; // two days of seven: floor(2 × 10000 / 7) = 2857
    const bucket = Math.floor((murmur.murmur3('lineardave', 0) * 10_000) / 2 ** 32);
    const decision = explain(DOC, 'linear', { targetingKey: 'dave' }, now);
    expect(decision.layer).toBe('rollout');
    expect(decision.lines).toContain(`bucket ${bucket} of 10000 (MurmurHash3 of "lineardave")`);
    expect(decision.lines.some((line) => line.startsWith(`threshold 2857 of 10000: ${bucket} `))).toBe(true);
    expect(decision.on).toBe(bucket < 2857);
  });

  it.each([
    ['canary', { targetingKey: 'alice' }, 'canary', true],
    ['canary', { targetingKey: 'zed', region: 'eu' }, 'canary', true],
    ['canary', { region: 'us' }, 'default', false],
    ['disabled', { targetingKey: 'alice' }, 'disabled', false],
    ['blocked', { targetingKey: 'alice' }, 'parent', false],
    ['master', {}, 'all-at-once', true],
  ] as const)('names the deciding layer of %s for %j: %s', (flagKey, context, layer, on) => {
    expect(explain(DOC, flagKey, context, START)).toMatchObject({ layer, on });
  });

  it('says a ramp that has not started is at 0% for everyone', () => {
    const decision = explain(DOC, 'linear', { targetingKey: 'dave' }, START - 1);
    expect(decision).toMatchObject({ on: false, layer: 'rollout' });
    expect(decision.lines).toContain('exposure 0% → off for everyone');
  });
});
