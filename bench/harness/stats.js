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

/** Interquartile range over the median: how much the middle half of the rounds disagreed. */
export function relativeIqr(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const quartile = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
  return (quartile(0.75) - quartile(0.25)) / median(samples);
}
