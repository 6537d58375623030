/** Middle value of the samples (mean of the two middle ones for an even count). */
export function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile (p in 0..100): with n samples, p99 is the max until n reaches 100. */
export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Spread of the round medians, as (max - min) / median, to show how noisy a row was. */
export function relativeSpread(samples) {
  return (Math.max(...samples) - Math.min(...samples)) / median(samples);
}
