import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../../../../src/deploy/metrics/histogram-quantile.js';

/* Expected values are worked out by hand with Prometheus's histogram_quantile rules. */

const bucket = (upperBound: number, count: number) => ({ upperBound, count });

describe('histogramQuantile', () => {
  it('interpolates linearly inside the bucket holding the rank', () => {
    // 100 observations, rank 95: bucket (0.25, 0.5] holds 60..100, so 0.25 + 0.25 × (95 − 60) / 40.
    const buckets = [bucket(0.1, 20), bucket(0.25, 60), bucket(0.5, 100), bucket(Infinity, 100)];
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(0.46875, 12);
  });

  it('starts the first bucket at zero', () => {
    // All 10 in (0, 0.1]: 0.1 × 5 / 10.
    expect(histogramQuantile(0.5, [bucket(0.1, 10), bucket(Infinity, 10)])).toBeCloseTo(0.05, 12);
  });

  it('answers the highest finite bound when the rank is in the +Inf bucket', () => {
    expect(histogramQuantile(0.95, [bucket(0.1, 10), bucket(1, 50), bucket(Infinity, 100)])).toBe(1);
  });

  it('sorts buckets given in any order', () => {
    expect(histogramQuantile(0.5, [bucket(Infinity, 4), bucket(2, 4), bucket(1, 0)])).toBe(1.5);
  });

  it('repairs counts that decrease with the bound', () => {
    // (0.2 → 5) is read as 10, so the rank 5 falls in the first bucket: 0.1 × 5 / 10.
    expect(histogramQuantile(0.5, [bucket(0.1, 10), bucket(0.2, 5), bucket(Infinity, 10)])).toBeCloseTo(0.05, 12);
  });

  it.each([
    ['no +Inf bucket', [bucket(0.1, 10)]],
    ['no observations', [bucket(0.1, 0), bucket(Infinity, 0)]],
    ['no buckets', []],
  ])('has no answer with %s', (_case, buckets) => {
    expect(histogramQuantile(0.95, buckets)).toBeNull();
  });
});
