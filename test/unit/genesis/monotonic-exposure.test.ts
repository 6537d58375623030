import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GenesisFlag } from '../../../src/genesis/genesis-document.js';
import { translateGenesisDocument } from '../../../src/genesis/translate-genesis-document.js';
import { flagdCoreOracle } from './flagd-core-oracle.js';

const START = 1_760_745_600; // 2025-10-18T00:00:00Z
const DAY = 86_400;

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

const percentage = fc.integer({ min: 0, max: 10_000 }).map((weight) => weight / 100);

const linearRamp: fc.Arbitrary<GenesisFlag> = fc
  .record({
    offset: fc.integer({ min: 0, max: 30 * DAY }),
    duration: fc.integer({ min: 1, max: 30 * DAY }),
    from: percentage,
    to: percentage,
  })
  .map(({ offset, duration, from, to }) => ({
    enabled: true,
    rollout_strategy: 'progressive',
    start_date: iso(START + offset),
    end_date: iso(START + offset + duration),
    initial_percentage: Math.min(from, to),
    end_percentage: Math.max(from, to),
  }));

const presetRamp: fc.Arbitrary<GenesisFlag> = fc.constantFrom('safe', 'fast').map((steps) => ({
  enabled: true,
  rollout_strategy: 'progressive',
  steps,
  start_date: iso(START),
}));

const explicitSteps: fc.Arbitrary<GenesisFlag> = fc
  .uniqueArray(fc.integer({ min: 0, max: 30 * DAY }), { minLength: 1, maxLength: 6 })
  .chain((offsets) =>
    fc.tuple(
      fc.constant(offsets.sort((a, b) => a - b)),
      fc.array(percentage, { minLength: offsets.length, maxLength: offsets.length }),
    ),
  )
  .map(([offsets, percentages]) => {
    const sorted = [...percentages].sort((a, b) => a - b);
    return {
      enabled: true,
      rollout_strategy: 'progressive',
      steps: offsets.map((offset, index) => ({ at: iso(START + offset), percentage: sorted[index] ?? 0 })),
    };
  });

const ramp = fc.oneof(linearRamp, presetRamp, explicitSteps);
const keys = fc.uniqueArray(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }), {
  minLength: 1,
  maxLength: 15,
});
const instants = fc
  .array(fc.integer({ min: START - 2 * DAY, max: START + 62 * DAY }), { minLength: 2, maxLength: 25 })
  .map((values) => values.sort((a, b) => a - b));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('monotonic exposure of progressive rollouts', () => {
  it('keeps a user on at every later instant once they are on, for a ramp and for a child of another ramp', () => {
    fc.assert(
      fc.property(ramp, ramp, keys, instants, (parentRamp, childRamp, users, times) => {
        const outcome = translateGenesisDocument({
          flags: { parent: parentRamp, child: { ...childRamp, requires: ['parent'] } },
        });
        if (!outcome.ok) throw new Error(outcome.error);
        const oracle = flagdCoreOracle(outcome.value);
        for (const flagKey of ['parent', 'child']) {
          for (const targetingKey of users) {
            const answers = times.map((at) => oracle.evaluate(flagKey, { targetingKey }, at).value);
            const firstOn = answers.indexOf(true);
            expect(firstOn === -1 || answers.slice(firstOn).every(Boolean)).toBe(true);
          }
        }
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });
});
