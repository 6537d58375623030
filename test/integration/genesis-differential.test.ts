import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlagStore } from '../../src/flagd/flag-store.js';
import type { EvaluationContext, FlagSetDocument } from '../../src/flagd/model.js';
import { normalizeFlagSet } from '../../src/flagd/parse/flag-set-normalizer.js';
import { validateFlagdDocument } from '../../src/flagd/parse/validate-flagd-document.js';
import type { GenesisDocument, GenesisFlag } from '../../src/genesis/genesis-document.js';
import { readGenesisDocument } from '../../src/genesis/read-genesis-document.js';
import { translateGenesisDocument } from '../../src/genesis/translate-genesis-document.js';
import { flagdCoreOracle } from '../unit/genesis/flagd-core-oracle.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REGIONS = ['us-west-1', 'us-east-1', 'eu-central-1', 'ap-south-1'];

/** Every strategy, parents of every kind, and the production flags with their ramps switched on. */
function genesisUnderTest(): GenesisDocument {
  const outcome = readGenesisDocument(
    JSON.parse(readFileSync(path.join(repoRoot, 'config/feature_flags.json'), 'utf8')),
  );
  if (!outcome.ok) throw new Error(outcome.error);
  const production = outcome.value.flags;
  const synthetic: Record<string, GenesisFlag> = {
    pct_5: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 5 },
    pct_third: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 33.33 },
    canary: {
      enabled: true,
      rollout_strategy: 'canary',
      canary_users: ['alice', 'bob'],
      canary_regions: ['eu-central-1'],
      rollout_percentage: 10,
    },
    canary_users_only: { enabled: true, rollout_strategy: 'canary', canary_users: ['carol'] },
    linear: {
      enabled: true,
      rollout_strategy: 'progressive',
      start_date: '2025-10-20T06:00:00Z',
      end_date: '2025-11-02T18:30:00Z',
    },
    linear_partial: {
      enabled: true,
      rollout_strategy: 'progressive',
      start_date: '2025-10-19',
      end_date: '2025-10-29',
      initial_percentage: 12.5,
      end_percentage: 80,
    },
    safe: { enabled: true, rollout_strategy: 'progressive', steps: 'safe', start_date: '2025-10-22T12:00:00Z' },
    fast: { enabled: true, rollout_strategy: 'progressive', steps: 'fast', start_date: '2025-10-25' },
    stepped: {
      enabled: true,
      rollout_strategy: 'progressive',
      steps: [
        { at: '2025-10-18T00:00:00Z', percentage: 0.01 },
        { at: '2025-10-23T00:00:00Z', percentage: 42 },
        { at: '2025-11-05T00:00:00Z', percentage: 100 },
      ],
    },
    child_of_ramp: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 60, requires: ['linear'] },
    grandchild: {
      enabled: true,
      rollout_strategy: 'canary',
      canary_regions: ['us-east-1'],
      rollout_percentage: 50,
      requires: ['child_of_ramp', '!canary'],
    },
    unless_stepped: { enabled: true, requires: ['!stepped', 'pct_third'] },
  };
  return {
    flags: {
      ...production,
      phase_4_deployment: { ...(production['phase_4_deployment'] as GenesisFlag), enabled: true },
      aatc_system_enabled: { ...(production['aatc_system_enabled'] as GenesisFlag), enabled: true },
      ...synthetic,
    },
  };
}

function translated(): FlagSetDocument {
  const outcome = translateGenesisDocument(genesisUnderTest());
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
}

function ourStore(doc: FlagSetDocument): FlagStore {
  const set = normalizeFlagSet(doc, { origin: 'translated Genesis document', strict: true });
  if (!set.ok) throw new Error(set.error);
  const store = new FlagStore();
  store.replace(set.value);
  return store;
}

const asciiKey = fc.string({ unit: 'grapheme-ascii', minLength: 0, maxLength: 16 });
const context: fc.Arbitrary<EvaluationContext> = fc
  .record({
    targetingKey: fc.option(fc.oneof(asciiKey, fc.constantFrom('alice', 'bob', 'carol')), { nil: undefined }),
    region: fc.option(fc.constantFrom(...REGIONS), { nil: undefined }),
  })
  .map(({ targetingKey, region }) => ({
    ...(targetingKey === undefined ? {} : { targetingKey }),
    ...(region === undefined ? {} : { region }),
  }));
const instant = fc.integer({
  min: Date.parse('2025-10-15T00:00:00Z') / 1000,
  max: Date.parse('2025-11-20T00:00:00Z') / 1000,
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the translated Genesis document, evaluated by flagd-core and by our FlagStore', () => {
  it("is valid against flagd's schema", () => {
    expect(validateFlagdDocument(translated())).toEqual([]);
  });

  it('gives identical value, variant and reason for every flag over thousands of random contexts and instants', () => {
    const doc = translated();
    const oracle = flagdCoreOracle(doc);
    const store = ourStore(doc);
    const keys = Object.keys(doc.flags);
    const seen = new Map<string, Set<unknown>>(keys.map((key) => [key, new Set()]));
    fc.assert(
      fc.property(context, instant, (ctx, at) => {
        for (const flagKey of keys) {
          const theirs = oracle.evaluate(flagKey, ctx, at);
          const ours = store.evaluate(flagKey, 'boolean', false, ctx, { nowSeconds: () => at });
          expect({ value: ours.value, variant: ours.variant, reason: ours.reason }).toEqual({
            value: theirs.value,
            variant: theirs.variant,
            reason: theirs.reason,
          });
          seen.get(flagKey)?.add(theirs.value);
        }
      }),
      { numRuns: 3000, endOnFailure: true },
    );
    // The comparison is only as good as its coverage: every rolled-out flag was seen both on and off.
    for (const flagKey of [
      'pct_5',
      'canary',
      'linear',
      'linear_partial',
      'safe',
      'fast',
      'stepped',
      'grandchild',
      'unless_stepped',
      'phase_4_deployment',
    ]) {
      expect([flagKey, [...(seen.get(flagKey) ?? [])].sort()]).toEqual([flagKey, [false, true]]);
    }
  });
});
