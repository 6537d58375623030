import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../../../../src/flagd/sources/reconnect-backoff.js';

const policy = { initialBackoffMs: 100, maxBackoffMs: 1_000 };

describe('reconnectDelayMs', () => {
  it.each([
    [0, 50, 100],
    [1, 100, 200],
    [2, 200, 400],
    [3, 400, 800],
    [4, 500, 1_000],
    [40, 500, 1_000],
  ])('waits between half and all of the capped step on attempt %i', (attempt, low, high) => {
    expect(reconnectDelayMs(attempt, policy, () => 0)).toBe(low);
    expect(reconnectDelayMs(attempt, policy, () => 0.999_999)).toBe(high);
  });

  it('spreads a fleet: different random draws give different waits', () => {
    const waits = new Set([0.1, 0.4, 0.7].map((draw) => reconnectDelayMs(3, policy, () => draw)));
    expect(waits.size).toBe(3);
  });
});
