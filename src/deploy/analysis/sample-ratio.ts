import { normalUpperTail } from './normal-distribution.js';

/** How the observed split between treatment and control compares with the stage's percentage. */
export interface SampleRatio {
  readonly expectedShare: number;
  readonly observedShare: number;
  /** Pearson's chi-square with one degree of freedom. */
  readonly chiSquare: number;
  readonly pValue: number;
}

/**
 * The sample-ratio-mismatch test: Pearson's chi-square goodness of fit of the treatment/control
 * counts against the stage's expected share (one degree of freedom, so p = 2·P(Z > √χ²)). A tiny
 * p-value means the split is not what the flag serves: outcomes are attributed to the wrong users,
 * and no comparison of the two cohorts can be trusted.
 */
export function testSampleRatio(treatment: number, control: number, expectedShare: number): SampleRatio {
  const total = treatment + control;
  const expectedTreatment = total * expectedShare;
  const expectedControl = total - expectedTreatment;
  const chiSquare =
    total === 0 || expectedTreatment === 0 || expectedControl === 0
      ? 0
      : (treatment - expectedTreatment) ** 2 / expectedTreatment + (control - expectedControl) ** 2 / expectedControl;
  return {
    expectedShare,
    observedShare: total === 0 ? 0 : treatment / total,
    chiSquare,
    pValue: 2 * normalUpperTail(Math.sqrt(chiSquare)),
  };
}
