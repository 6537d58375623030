/** How the observed split between treatment and control compares with the stage's percentage. */
export interface SampleRatio {
  readonly expectedShare: number;
  readonly observedShare: number;
  /** `min(1, 1/Λ)` of the mixture test below: tiny when the split is far from the expected share. */
  readonly pValue: number;
}

/**
 * The sample-ratio-mismatch test, made sequential so it can be looked at after every check: a
 * mixture SPRT (as in sequential-test.ts) of the observed treatment share q̂ against the expected
 * share q over n exposures, with V = q(1−q)/n, d = q̂ − q and the alternative mixed over
 * d ~ N(0, τ²), τ = `relativeMismatch` × min(q, 1 − q):
 *
 *   Λ = √(V / (V + τ²)) · exp(τ² d² / (2V(V + τ²))).
 *
 * A fixed-horizon chi-square looked at every check would flag healthy rollouts by chance alone.
 * A small p-value means the split is not what the flag serves: outcomes are attributed to the wrong
 * users, and no comparison of the two cohorts can be trusted.
 */
export function testSampleRatio(
  treatment: number,
  control: number,
  expectedShare: number,
  relativeMismatch = 0.25,
): SampleRatio {
  const total = treatment + control;
  const observedShare = total === 0 ? 0 : treatment / total;
  if (total === 0 || expectedShare <= 0 || expectedShare >= 1) return { expectedShare, observedShare, pValue: 1 };
  const variance = (expectedShare * (1 - expectedShare)) / total;
  const tau = relativeMismatch * Math.min(expectedShare, 1 - expectedShare);
  const tau2 = tau * tau;
  const difference = observedShare - expectedShare;
  const logRatio =
    0.5 * Math.log(variance / (variance + tau2)) +
    (tau2 * difference * difference) / (2 * variance * (variance + tau2));
  return { expectedShare, observedShare, pValue: Math.min(1, Math.exp(-logRatio)) };
}
