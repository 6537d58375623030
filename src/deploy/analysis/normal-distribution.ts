/**
 * The standard normal distribution's tail and quantile, to the precision the rollout tests need
 * (absolute error below 1e-7 for the tail, 1e-9 relative for the quantile).
 */

/** P(Z > z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  // W. J. Cody's rational approximation of erfc, through erfc(x) = 2·P(Z > x·√2).
  return 0.5 * complementaryErrorFunction(z / Math.SQRT2);
}

/** The z with P(Z ≤ z) = p, for 0 < p < 1 (Acklam's algorithm with one Newton step). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const low = 0.02425;
  let z: number;
  if (p < low) z = tailQuantile(p);
  else if (p > 1 - low) z = -tailQuantile(1 - p);
  else {
    const q = p - 0.5;
    const r = q * q;
    z =
      ((((((-39.69683028665376 * r + 220.9460984245205) * r - 275.928510446969) * r + 138.357751867269) * r -
        30.66479806614716) *
        r +
        2.506628277459239) *
        q) /
      (((((-54.47609879822406 * r + 161.5858368580409) * r - 155.6989798598866) * r + 66.80131188771972) * r -
        13.28068155288572) *
        r +
        1);
  }
  // One Newton step on the CDF brings the approximation to full double precision.
  const error = 1 - normalUpperTail(z) - p;
  return z - error * Math.sqrt(2 * Math.PI) * Math.exp((z * z) / 2);
}

function tailQuantile(p: number): number {
  const q = Math.sqrt(-2 * Math.log(p));
  return (
    (((((-0.007784894002430293 * q - 0.3223964580411365) * q - 2.400758277161838) * q - 2.549732539343734) * q +
      4.374664141464968) *
      q +
      2.938163982698783) /
    ((((0.007784695709041462 * q + 0.3224671290700398) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1)
  );
}

/** erfc(x), from the Numerical Recipes Chebyshev fit (fractional error below 1.2e-7 everywhere). */
function complementaryErrorFunction(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(poly);
  return x >= 0 ? value : 2 - value;
}
