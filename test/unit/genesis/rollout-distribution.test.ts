import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GenesisFlag } from '../../../src/genesis/genesis-document.js';
import { translateGenesisDocument } from '../../../src/genesis/translate-genesis-document.js';
import { flagdCoreOracle, seconds } from './flagd-core-oracle.js';

const KEYS = Array.from({ length: 10_000 }, (_, index) => `user-${index}`);

function shareOn(flag: GenesisFlag, atSeconds: number): number {
  const outcome = translateGenesisDocument({ flags: { rollout: flag } });
  if (!outcome.ok) throw new Error(outcome.error);
  const oracle = flagdCoreOracle(outcome.value);
  return (
    KEYS.filter((targetingKey) => oracle.evaluate('rollout', { targetingKey }, atSeconds).value).length / KEYS.length
  );
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('rollout distribution over 10,000 keys', () => {
  it.each([5, 25, 50])('puts %s %% of users on, within one percentage point', (percentage) => {
    const share = shareOn(
      { enabled: true, rollout_strategy: 'percentage', rollout_percentage: percentage },
      seconds('2025-10-21T00:00:00Z'),
    );
    expect(Math.abs(share * 100 - percentage)).toBeLessThanOrEqual(1);
  });

  it.each([
    ['2025-10-18T08:24:00Z', 5],
    ['2025-10-19T18:00:00Z', 25],
    ['2025-10-21T12:00:00Z', 50],
  ])('puts the linear ramp share on at %s (%s %%), within one percentage point', (instant, percentage) => {
    const ramp: GenesisFlag = {
      enabled: true,
      rollout_strategy: 'progressive',
      start_date: '2025-10-18',
      end_date: '2025-10-25',
    };
    const share = shareOn(ramp, seconds(instant));
    expect(Math.abs(share * 100 - percentage)).toBeLessThanOrEqual(1);
  });
});
