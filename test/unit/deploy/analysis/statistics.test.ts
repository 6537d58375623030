import { describe, expect, it } from 'vitest';
import { normalQuantile, normalUpperTail } from '../../../../src/deploy/analysis/normal-distribution.js';
import { testSampleRatio } from '../../../../src/deploy/analysis/sample-ratio.js';
import { fixedHorizonSampleSize, sequentialLook } from '../../../../src/deploy/analysis/sequential-test.js';
import { wilsonInterval } from '../../../../src/deploy/analysis/wilson-interval.js';

/* Expected values computed independently with SciPy 1.17 (norm.sf, norm.ppf, chi2.sf) and the published formulas. */

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
  it('flags 600 of 10,000 in treatment at a 5% stage (χ² 21.05, p 4.5e-6)', () => {
    const ratio = testSampleRatio(600, 9400, 0.05);
    expect(ratio.observedShare).toBe(0.06);
    expect(ratio.chiSquare).toBeCloseTo(21.05263157894737, 10);
    expect(ratio.pValue).toBeCloseTo(4.468387345230037e-6, 8);
  });

  it('finds nothing to test without requests', () => {
    const ratio = testSampleRatio(0, 0, 0.05);
    expect(ratio).toMatchObject({ expectedShare: 0.05, observedShare: 0, chiSquare: 0 });
    expect(ratio.pValue).toBeCloseTo(1, 6);
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
