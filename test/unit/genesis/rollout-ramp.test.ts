import { describe, expect, it } from 'vitest';
import { rampWeightAt, resolveRolloutRamp } from '../../../src/genesis/rollout-ramp.js';

const START = 1_760_745_600; // 2025-10-18T00:00:00Z
const DAY = 86_400;

describe('resolveRolloutRamp', () => {
  it('reads a linear ramp in seconds and weights', () => {
    const ramp = resolveRolloutRamp({
      enabled: true,
      start_date: '2025-10-18',
      end_date: '2025-10-25',
      initial_percentage: 1.5,
    });
    expect(ramp).toEqual({
      kind: 'linear',
      startSeconds: START,
      endSeconds: START + 7 * DAY,
      fromWeight: 150,
      toWeight: 10_000,
    });
  });

  it('expands the fast preset into a step a day', () => {
    expect(resolveRolloutRamp({ enabled: true, steps: 'fast', start_date: '2025-10-18' })).toEqual({
      kind: 'steps',
      steps: [
        { atSeconds: START, weight: 0 },
        { atSeconds: START + DAY, weight: 2500 },
        { atSeconds: START + 2 * DAY, weight: 5000 },
        { atSeconds: START + 3 * DAY, weight: 10_000 },
      ],
    });
  });

  it('has no ramp without dates', () => {
    expect(resolveRolloutRamp({ enabled: true, start_date: '2025-10-18' })).toBeUndefined();
  });
});

describe('rampWeightAt', () => {
  const linear = {
    kind: 'linear',
    startSeconds: START,
    endSeconds: START + 7 * DAY,
    fromWeight: 0,
    toWeight: 10_000,
  } as const;

  it.each([
    [START - 1, 0],
    [START + 61, 1],
    [START + 3.5 * DAY, 5000],
    [START + 7 * DAY - 1, 9999],
    [START + 7 * DAY, 10_000],
  ])('gives the linear weight at %i as %i', (at, weight) => {
    expect(rampWeightAt(linear, at)).toBe(weight);
  });

  it('gives the weight of the last step reached', () => {
    const steps = {
      kind: 'steps',
      steps: [
        { atSeconds: 10, weight: 100 },
        { atSeconds: 20, weight: 300 },
      ],
    } as const;
    expect([9, 10, 19, 20, 1e9].map((at) => rampWeightAt(steps, at))).toEqual([0, 100, 100, 300, 300]);
  });
});
