import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FlagSetDocument } from '../../../src/flagd/model.js';
import type { GenesisDocument, GenesisFlag } from '../../../src/genesis/genesis-document.js';
import { checkGenesisDocument } from '../../../src/genesis/check-genesis-document.js';
import { translateGenesisDocument } from '../../../src/genesis/translate-genesis-document.js';
import { assertFlagdSchemaValid, bucketOf, flagdCoreOracle, seconds } from './flagd-core-oracle.js';

const NOW = seconds('2025-10-21T12:00:00Z');
const USERS = Array.from({ length: 200 }, (_, index) => `user-${index}`);

function translate(flags: Record<string, GenesisFlag>, regionAttribute?: string): FlagSetDocument {
  const doc: GenesisDocument = { flags };
  const outcome = translateGenesisDocument(doc, regionAttribute === undefined ? {} : { regionAttribute });
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('all_at_once and disabled flags', () => {
  it('answers on for everyone with reason STATIC when enabled', () => {
    const oracle = flagdCoreOracle(translate({ a: { enabled: true } }));
    expect(oracle.evaluate('a', {}, NOW)).toMatchObject({ value: true, variant: 'on', reason: 'STATIC' });
    expect(oracle.evaluate('a', { targetingKey: 'x' }, NOW, false)).toMatchObject({ value: true, reason: 'STATIC' });
  });

  it('answers false with reason STATIC when disabled, whatever default the caller passes', () => {
    const doc = translate({ a: { enabled: false, rollout_strategy: 'percentage', rollout_percentage: 50 } });
    expect(doc.flags['a']).toMatchObject({ state: 'ENABLED', defaultVariant: 'off' });
    expect(doc.flags['a']?.targeting).toBeUndefined();
    const oracle = flagdCoreOracle(doc);
    expect(oracle.evaluate('a', { targetingKey: 'x' }, NOW, true)).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'STATIC',
    });
  });

  it('writes boolean variants on and off', () => {
    expect(translate({ a: { enabled: true } }).flags['a']?.variants).toEqual({ on: true, off: false });
  });
});

describe('percentage', () => {
  it.each([5, 25, 50, 12.34])('puts a user on exactly when their bucket is below %s × 100', (percentage) => {
    const oracle = flagdCoreOracle(
      translate({ p: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: percentage } }),
    );
    for (const user of USERS) {
      const expected = bucketOf('p', user) < Math.round(percentage * 100);
      expect(oracle.evaluate('p', { targetingKey: user }, NOW)).toMatchObject({
        value: expected,
        reason: 'TARGETING_MATCH',
      });
    }
  });

  it('uses integer weights p × 100 : (100 − p) × 100 in a fractional over on and off', () => {
    const targeting = translate({ p: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 12.34 } })
      .flags['p']?.targeting;
    expect(JSON.stringify(targeting)).toContain('["on",1234],["off",8766]');
  });

  it.each([
    [0, false, 'off'],
    [100, true, 'on'],
  ])('makes %s %% a static flag', (percentage, value, variant) => {
    const doc = translate({ p: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: percentage } });
    expect(doc.flags['p']?.targeting).toBeUndefined();
    expect(flagdCoreOracle(doc).evaluate('p', { targetingKey: 'u' }, NOW)).toMatchObject({
      value,
      variant,
      reason: 'STATIC',
    });
  });

  it('answers off without a targeting key, and with an empty one', () => {
    const oracle = flagdCoreOracle(
      translate({ p: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 99.99 } }),
    );
    expect(oracle.evaluate('p', {}, NOW, true)).toMatchObject({ value: false, variant: 'off' });
    expect(oracle.evaluate('p', { targetingKey: '' }, NOW, true)).toMatchObject({ value: false, variant: 'off' });
  });
});

describe('canary', () => {
  const canary: GenesisFlag = {
    enabled: true,
    rollout_strategy: 'canary',
    canary_users: ['alice', 'bob'],
    canary_regions: ['us-west-1'],
    rollout_percentage: 10,
  };

  it('puts canary users and canary regions on, and everyone else by the percentage', () => {
    const oracle = flagdCoreOracle(translate({ c: canary }));
    expect(oracle.evaluate('c', { targetingKey: 'alice' }, NOW).value).toBe(true);
    expect(oracle.evaluate('c', { targetingKey: 'bob', region: 'eu-central-1' }, NOW).value).toBe(true);
    expect(oracle.evaluate('c', { region: 'us-west-1' }, NOW).value).toBe(true);
    expect(oracle.evaluate('c', { region: 'eu-central-1' }, NOW).value).toBe(false);
    for (const user of USERS) {
      expect(oracle.evaluate('c', { targetingKey: user, region: 'eu-central-1' }, NOW).value).toBe(
        bucketOf('c', user) < 1000,
      );
    }
  });

  it('matches regions against a configurable attribute', () => {
    const oracle = flagdCoreOracle(translate({ c: { ...canary, rollout_percentage: 0 } }, 'datacenter'));
    expect(oracle.evaluate('c', { datacenter: 'us-west-1' }, NOW).value).toBe(true);
    expect(oracle.evaluate('c', { region: 'us-west-1' }, NOW).value).toBe(false);
  });

  it('is off for everyone outside the lists when the percentage is absent', () => {
    const oracle = flagdCoreOracle(
      translate({ c: { enabled: true, rollout_strategy: 'canary', canary_users: ['alice'] } }),
    );
    expect(oracle.evaluate('c', { targetingKey: 'alice' }, NOW).value).toBe(true);
    expect(USERS.some((user) => oracle.evaluate('c', { targetingKey: user }, NOW).value)).toBe(false);
  });
});

describe('progressive, linear', () => {
  const start = seconds('2025-10-18T00:00:00Z');
  const week = 7 * 86_400;
  const ramp: GenesisFlag = {
    enabled: true,
    rollout_strategy: 'progressive',
    start_date: '2025-10-18T00:00:00Z',
    end_date: '2025-10-25T00:00:00Z',
  };

  it.each([
    ['one second before the start', -1, 0],
    ['at the start', 0, 0],
    ['61 s in: floor(610000 / 604800) = 1', 61, 1],
    ['half way', week / 2, 5000],
    ['a quarter of the way', week / 4, 2500],
    ['one second before the end: floor(604799 × 10000 / 604800) = 9999', week - 1, 9999],
  ])('%s puts users whose bucket is below the weight on', (_title, offset, weight) => {
    const oracle = flagdCoreOracle(translate({ r: ramp }));
    for (const user of USERS) {
      expect(oracle.evaluate('r', { targetingKey: user }, start + offset).value).toBe(bucketOf('r', user) < weight);
    }
  });

  it('is on for everyone from the end, with or without a targeting key', () => {
    const oracle = flagdCoreOracle(translate({ r: ramp }));
    expect(oracle.evaluate('r', {}, start + week).value).toBe(true);
    expect(oracle.evaluate('r', { targetingKey: 'late' }, start + 30 * 86_400).value).toBe(true);
  });

  it('is off before the start and mid-ramp without a targeting key', () => {
    const oracle = flagdCoreOracle(translate({ r: ramp }));
    expect(oracle.evaluate('r', { targetingKey: 'early' }, start - 86_400, true).value).toBe(false);
    expect(oracle.evaluate('r', {}, start + week - 1, true).value).toBe(false);
  });

  it('ramps from initial_percentage to end_percentage (the old Python fields)', () => {
    const oracle = flagdCoreOracle(translate({ r: { ...ramp, initial_percentage: 20, end_percentage: 60 } }));
    // half way: 2000 + floor(302400 × 4000 / 604800) = 4000; from the end: 60 % = 6000
    for (const user of USERS) {
      expect(oracle.evaluate('r', { targetingKey: user }, start + week / 2).value).toBe(bucketOf('r', user) < 4000);
      expect(oracle.evaluate('r', { targetingKey: user }, start + week).value).toBe(bucketOf('r', user) < 6000);
    }
  });
});

describe('progressive, stepped', () => {
  const start = seconds('2025-11-01T00:00:00Z');
  const day = 86_400;

  it.each([
    ['safe', [0, 500, 1000, 2500, 5000, 7500, 10_000]],
    ['fast', [0, 2500, 5000, 10_000]],
  ] as const)('follows the %s preset one step a day from start_date', (preset, weights) => {
    const oracle = flagdCoreOracle(
      translate({ s: { enabled: true, rollout_strategy: 'progressive', steps: preset, start_date: '2025-11-01' } }),
    );
    weights.forEach((weight, index) => {
      for (const user of USERS.slice(0, 50)) {
        expect(oracle.evaluate('s', { targetingKey: user }, start + index * day).value).toBe(
          bucketOf('s', user) < weight,
        );
        expect(oracle.evaluate('s', { targetingKey: user }, start + index * day + day - 1).value).toBe(
          bucketOf('s', user) < weight,
        );
      }
    });
    expect(oracle.evaluate('s', { targetingKey: 'user-1' }, start - 1).value).toBe(false);
    expect(oracle.evaluate('s', {}, start + weights.length * day).value).toBe(true);
  });

  it('follows explicit steps and stays at the last one', () => {
    const steps = [
      { at: '2025-11-01T00:00:00Z', percentage: 1 },
      { at: '2025-11-01T06:00:00Z', percentage: 33.33 },
    ];
    const oracle = flagdCoreOracle(translate({ s: { enabled: true, rollout_strategy: 'progressive', steps } }));
    for (const user of USERS) {
      expect(oracle.evaluate('s', { targetingKey: user }, start - 1).value).toBe(false);
      expect(oracle.evaluate('s', { targetingKey: user }, start + 3600).value).toBe(bucketOf('s', user) < 100);
      expect(oracle.evaluate('s', { targetingKey: user }, start + 100 * day).value).toBe(bucketOf('s', user) < 3333);
    }
  });
});

describe('requires', () => {
  it('turns a child off while its parent is off, statically', () => {
    const doc = translate({ parent: { enabled: false }, child: { enabled: true, requires: ['parent'] } });
    expect(doc.flags['child']).toMatchObject({ defaultVariant: 'off' });
    expect(doc.flags['child']?.targeting).toBeUndefined();
  });

  it('leaves a child static when its parent is statically on', () => {
    const doc = translate({ parent: { enabled: true }, child: { enabled: true, requires: ['parent'] } });
    expect(flagdCoreOracle(doc).evaluate('child', {}, NOW)).toMatchObject({ value: true, reason: 'STATIC' });
  });

  it('honours !key: the child is on only while the parent is off', () => {
    const on = translate({ stop: { enabled: true }, child: { enabled: true, requires: ['!stop'] } });
    const off = translate({ stop: { enabled: false }, child: { enabled: true, requires: ['!stop'] } });
    expect(flagdCoreOracle(on).evaluate('child', {}, NOW).value).toBe(false);
    expect(flagdCoreOracle(off).evaluate('child', {}, NOW).value).toBe(true);
  });

  it("inlines a bucketed parent, bucketing it by the parent's own key", () => {
    const doc = translate({
      parent: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 50 },
      child: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 50, requires: ['parent'] },
    });
    const oracle = flagdCoreOracle(doc);
    for (const user of USERS) {
      const expected = bucketOf('parent', user) < 5000 && bucketOf('child', user) < 5000;
      expect(oracle.evaluate('child', { targetingKey: user }, NOW).value).toBe(expected);
    }
  });

  it('inlines parents recursively through a chain', () => {
    const doc = translate({
      root: { enabled: true, rollout_strategy: 'canary', canary_users: ['alice'] },
      middle: { enabled: true, requires: ['root'] },
      leaf: { enabled: true, requires: ['middle', '!stop'] },
      stop: { enabled: true, rollout_strategy: 'canary', canary_regions: ['eu'] },
    });
    const oracle = flagdCoreOracle(doc);
    expect(oracle.evaluate('leaf', { targetingKey: 'alice' }, NOW).value).toBe(true);
    expect(oracle.evaluate('leaf', { targetingKey: 'alice', region: 'eu' }, NOW).value).toBe(false);
    expect(oracle.evaluate('leaf', { targetingKey: 'bob' }, NOW).value).toBe(false);
  });
});

describe('metadata', () => {
  it('passes flag metadata through and adds description, category, requires, strategy and the Genesis key', () => {
    const doc = translate({
      master: { enabled: true },
      child: {
        enabled: true,
        description: 'A child',
        category: 'orchestration_v2',
        rollout_strategy: 'percentage',
        rollout_percentage: 30,
        requires: ['master'],
        metadata: { owner: 'team-a', strategy: 'overwritten' },
      },
    });
    expect(doc.flags['child']?.metadata).toEqual({
      owner: 'team-a',
      description: 'A child',
      category: 'orchestration_v2',
      requires: 'master',
      strategy: 'percentage',
      genesisKey: 'child',
    });
    expect(flagdCoreOracle(doc).evaluate('child', {}, NOW).flagMetadata).toMatchObject({ strategy: 'percentage' });
  });

  it('carries the document metadata as flag-set metadata', () => {
    const outcome = translateGenesisDocument({ metadata: { flagSetId: 'genesis' }, flags: { a: { enabled: true } } });
    expect(outcome.ok && outcome.value.metadata).toEqual({ flagSetId: 'genesis' });
  });
});

describe('the translated document', () => {
  it("passes flagd's own schema in strict mode for every strategy", () => {
    const doc = translate({
      a: { enabled: true },
      b: { enabled: false },
      p: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 5 },
      c: {
        enabled: true,
        rollout_strategy: 'canary',
        canary_users: ['u'],
        canary_regions: ['r'],
        rollout_percentage: 1,
      },
      l: {
        enabled: true,
        rollout_strategy: 'progressive',
        start_date: '2025-01-01',
        end_date: '2025-02-01',
        initial_percentage: 5,
      },
      s: { enabled: true, rollout_strategy: 'progressive', steps: 'safe', start_date: '2025-01-01' },
      k: { enabled: true, requires: ['p', '!c', 'l', 's'] },
    });
    expect(() => assertFlagdSchemaValid(doc)).not.toThrow();
  });

  it('refuses a document that fails the checks, naming every problem', () => {
    const doc: GenesisDocument = { flags: { a: { enabled: true, requires: ['ghost'] } } };
    const outcome = translateGenesisDocument(doc);
    expect(outcome.ok).toBe(false);
    expect(checkGenesisDocument(doc)).toEqual([
      { path: ['flags', 'a', 'requires', 0], message: 'names unknown flag "ghost"' },
    ]);
    if (!outcome.ok) {
      expect(outcome.error).toBe(
        'Cannot translate the Genesis document:\n  flags.a.requires[0]  names unknown flag "ghost"',
      );
    }
  });
});
