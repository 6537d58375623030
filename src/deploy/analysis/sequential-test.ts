/** Successes out of trials: errors out of requests, or slow requests out of requests. */
export interface Proportion {
  readonly events: number;
  readonly trials: number;
}

/** One look of the sequential test at the data gathered so far. */
export interface SequentialLook {
  /** Treatment rate minus control rate. */
  readonly difference: number;
  /** The mixture likelihood ratio Λ against "no difference". */
  readonly likelihoodRatio: number;
  /** `min(1, 1/Λ)` at this look; the always-valid p-value is the running minimum over looks. */
  readonly pValue: number;
  /** Treatment is worse and Λ ≥ 1/α: a regression, with type-I error at most α however often one looks. */
  readonly regression: boolean;
}

/**
 * The mixture sequential probability ratio test (mSPRT, Johari et al., "Always Valid Inference",
 * 2017) for treatment worse than control, on the normal approximation of the difference of two
 * proportions. The difference d has variance V = p̄(1−p̄)(1/n_t + 1/n_c) under "no difference"
 * (p̄ pooled); mixing the alternative over d ~ N(0, τ²) gives
 *
 *   Λ = √(V / (V + τ²)) · exp(τ² d² / (2V(V + τ²))),
 *
 * a martingale under the null, so by Ville's inequality P(Λ ever ≥ 1/α) ≤ α: the test may be looked at
 * after every check without inflating false rollbacks. τ is the size of regression the test is
 * tuned for: `relativeEffect` × p̄ (1 = a doubling of the rate), never below `minimumEffect`.
 */
export function sequentialLook(
  treatment: Proportion,
  control: Proportion,
  settings: { readonly alpha: number; readonly relativeEffect: number; readonly minimumEffect: number },
): SequentialLook {
  const pt = treatment.trials > 0 ? treatment.events / treatment.trials : 0;
  const pc = control.trials > 0 ? control.events / control.trials : 0;
  const difference = pt - pc;
  const pooled = (treatment.events + control.events) / Math.max(1, treatment.trials + control.trials);
  const variance = Math.max(pooled * (1 - pooled), 1e-12) * (1 / treatment.trials + 1 / control.trials);
  const tau = Math.max(settings.relativeEffect * pooled, settings.minimumEffect);
  const tau2 = tau * tau;
  const logRatio =
    0.5 * Math.log(variance / (variance + tau2)) +
    (tau2 * difference * difference) / (2 * variance * (variance + tau2));
  const likelihoodRatio = Math.exp(logRatio);
  const pValue = Math.min(1, 1 / likelihoodRatio);
  return { difference, likelihoodRatio, pValue, regression: difference > 0 && pValue <= settings.alpha };
}

/**
 * The per-group sample size of a fixed-horizon one-sided two-proportion z-test that detects
 * `p1 → p2` with type-I error `alpha` and the given power, with `ratio` control units per treatment
 * unit: n_t = (z_α√(p̄q̄(1+1/k)) + z_β√(p₂q₂ + p₁q₁/k))² / (p₂−p₁)², p̄ = (p₂ + k·p₁)/(1+k).
 * The benchmark's yardstick for how fast the sequential test finds a regression.
 */
export function fixedHorizonSampleSize(
  p1: number,
  p2: number,
  options: { readonly alphaZ: number; readonly powerZ: number; readonly ratio: number },
): number {
  const { alphaZ, powerZ, ratio } = options;
  const pooled = (p2 + ratio * p1) / (1 + ratio);
  const nullSd = Math.sqrt(pooled * (1 - pooled) * (1 + 1 / ratio));
  const altSd = Math.sqrt(p2 * (1 - p2) + (p1 * (1 - p1)) / ratio);
  return Math.ceil(((alphaZ * nullSd + powerZ * altSd) / (p2 - p1)) ** 2);
}
