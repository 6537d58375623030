import { describe, expect, it } from 'vitest';
import { normalQuantile, normalUpperTail } from '../../../../src/deploy/analysis/normal-distribution.js';
import { testSampleRatio } from '../../../../src/deploy/analysis/sample-ratio.js';
import { fixedHorizonSampleSize, sequentialLook } from '../../../../src/deploy/analysis/sequential-test.js';
import { wilsonInterval } from '../../../../src/deploy/analysis/wilson-interval.js';

/* Expected values computed independently with SciPy 1.17 (norm.sf, norm.ppf) and the published formulas in Python. */

const TUNING = { alpha: 0.005, relativeEffect: 1, minimumEffect: 0.002 };

describe('the normal distribution', () => {
  it.each([
    [1.96, 0.024997895148220435],
    [-1, 0.8413447460685429],
    [0, 0.5],
  ])('gives P(Z > %d) = %d', (z, tail) => {
    expect(normalUpperTail(z)).toBeCloseTo(tail, 7);
  });

  it.each([
    [0.975, 1.959963984540054],
    [0.005, -2.575829303548901],
    [0.8, 0.8416212335729143],
  ])('gives the %d quantile %d', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 6);
  });

  it('refuses a probability outside (0, 1)', () => {
    expect(() => normalQuantile(1)).toThrow('normalQuantile needs 0 < p < 1, got 1');
  });
});

describe('the mixture sequential probability ratio test', () => {
  it('finds a treatment at 3% errors against control at 1% a regression at α 0.005', () => {
    const look = sequentialLook({ events: 15, trials: 500 }, { events: 100, trials: 10_000 }, TUNING);
    expect(look.difference).toBeCloseTo(0.02, 12);
    expect(look.likelihoodRatio).toBeCloseTo(646.9629235743009, 6);
    expect(look.pValue).toBeCloseTo(0.0015456836297129079, 12);
    expect(look.regression).toBe(true);
  });

  it('does not call 2.4% against 1% a regression yet (p 0.061 > α)', () => {
    const look = sequentialLook({ events: 12, trials: 500 }, { events: 100, trials: 10_000 }, TUNING);
    expect(look.pValue).toBeCloseTo(0.061156242129346505, 12);
    expect(look.regression).toBe(false);
  });

  it('never calls a treatment that fails less than control a regression', () => {
    const look = sequentialLook({ events: 0, trials: 200 }, { events: 1, trials: 4000 }, TUNING);
    expect(look.difference).toBeCloseTo(-0.00025, 12);
    expect(look.likelihoodRatio).toBeCloseTo(0.49729108333590755, 12);
    expect(look).toMatchObject({ pValue: 1, regression: false });
  });

  it('sizes the fixed-horizon test of 1% → 2% at α 0.005, 80% power, 19 control per treatment unit', () => {
    const sample = fixedHorizonSampleSize(0.01, 0.02, {
      alphaZ: 2.575829303548901,
      powerZ: 0.8416212335729143,
      ratio: 19,
    });
    expect(sample).toBe(1512);
  });
});

describe('the sample-ratio test', () => {
  it('flags 600 of 10,000 in treatment at a 5% stage (p 2.1e-4)', () => {
    const ratio = testSampleRatio(600, 9400, 0.05);
    expect(ratio.observedShare).toBe(0.06);
    expect(ratio.pValue).toBeCloseTo(0.00021301948665558985, 12);
  });

  it('flags half the treatment missing, 260 of 10,000 at 5%, beyond doubt', () => {
    expect(testSampleRatio(260, 9740, 0.05).pValue).toBeLessThan(1e-24);
  });

  it('finds 510 of 10,000 at 5% in line with the stage', () => {
    expect(testSampleRatio(510, 9490, 0.05)).toEqual({ expectedShare: 0.05, observedShare: 0.051, pValue: 1 });
  });

  it('finds nothing to test without requests', () => {
    expect(testSampleRatio(0, 0, 0.05)).toEqual({ expectedShare: 0.05, observedShare: 0, pValue: 1 });
  });
});

describe('the Wilson interval', () => {
  it('gives 8 of 100 the 95% interval 4.11%–15.00%', () => {
    const interval = wilsonInterval(8, 100, 1.959963984540054);
    expect(interval.low).toBeCloseTo(0.04109346148438062, 12);
    expect(interval.high).toBeCloseTo(0.14998107700948732, 12);
  });

  it('stays above zero errors: 0 of 50 gives 0%–7.13%', () => {
    const interval = wilsonInterval(0, 50, 1.959963984540054);
    expect(interval.low).toBeCloseTo(0, 15);
    expect(interval.high).toBeCloseTo(0.07134759913335872, 12);
  });
});
