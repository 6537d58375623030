import { describe, expect, it } from 'vitest';
import { planExposure, rampChangePoints } from '../../../src/genesis/plan-exposure.js';
import type { RolloutRamp } from '../../../src/genesis/rollout-ramp.js';

const DAY = 86_400;
const START = 1_760_745_600; // 2025-10-18T00:00:00Z
const LINEAR: RolloutRamp = {
  kind: 'linear',
  startSeconds: START,
  endSeconds: START + 2.5 * DAY,
  fromWeight: 0,
  toWeight: 10_000,
};
const STEPS: RolloutRamp = {
  kind: 'steps',
  steps: [
    { atSeconds: START, weight: 500 },
    { atSeconds: START + DAY, weight: 10_000 },
  ],
};

describe('rampChangePoints', () => {
  it('gives every day of a linear ramp from its start, and its end', () => {
    expect(rampChangePoints(LINEAR)).toEqual([START, START + DAY, START + 2 * DAY, START + 2.5 * DAY]);
  });

  it('gives every step of a stepped ramp', () => {
    expect(rampChangePoints(STEPS)).toEqual([START, START + DAY]);
  });
});

describe('planExposure', () => {
  it("puts rows at the window's edges and the changes inside it, with the weight of each instant", () => {
    const rows = planExposure('f', LINEAR, [], { fromSeconds: START - DAY, toSeconds: START + 1.5 * DAY });
    // a day into a 2.5-day ramp: floor(86400 × 10000 / 216000) = 4000
    expect(rows.map((row) => [row.atSeconds, row.weight])).toEqual([
      [START - DAY, 0],
      [START, 0],
      [START + DAY, 4000],
      [START + 1.5 * DAY, 6000],
    ]);
  });

  it('counts every key on at 100%, none at 0%, and expects the sample size times the share', () => {
    const keys = ['a', 'b', 'c', 'd'];
    const rows = planExposure('f', STEPS, keys, { fromSeconds: START - 1 });
    expect(rows.map((row) => [row.weight, row.expectedOn])).toEqual([
      [0, 0],
      [500, 0.2],
      [10_000, 4],
    ]);
    expect(rows[0]?.sampledOn).toBe(0);
    expect(rows[2]?.sampledOn).toBe(4);
  });

  it('gives a single row when the window is one instant', () => {
    expect(
      planExposure('f', STEPS, [], { fromSeconds: START + 10, toSeconds: START + 10 }).map((row) => row.weight),
    ).toEqual([500]);
  });
});
