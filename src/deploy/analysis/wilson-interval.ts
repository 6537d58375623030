/** A rate's confidence interval, 0–1 at both ends. */
export interface RateInterval {
  readonly low: number;
  readonly high: number;
}

/**
 * The Wilson score interval of `events` out of `trials` at the two-sided level that `z` gives (1.96
 * for 95%). Unlike the plain normal interval it stays inside 0–1 and is sensible at 0 errors,
 * which is most cohorts at a small stage.
 */
export function wilsonInterval(events: number, trials: number, z: number): RateInterval {
  if (trials <= 0) return { low: 0, high: 1 };
  const rate = events / trials;
  const z2 = z * z;
  const centre = (rate + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z * Math.sqrt((rate * (1 - rate)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
