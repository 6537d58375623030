/** One cumulative histogram bucket: observations ≤ `upperBound`. */
export interface Bucket {
  readonly upperBound: number;
  readonly count: number;
}

/**
 * The q-quantile of a cumulative histogram, computed the way Prometheus's `histogram_quantile`
 * does: linear interpolation inside the bucket holding the rank, the first bucket starting at 0,
 * and the `+Inf` bucket answered by the highest finite bound. `null` without a `+Inf` bucket or
 * without observations.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | null {
  const sorted = [...buckets].sort((a, b) => a.upperBound - b.upperBound);
  const last = sorted[sorted.length - 1];
  if (last === undefined || last.upperBound !== Infinity || sorted.length < 2) return null;
  // Counts must not decrease with the bound; Prometheus repairs float noise the same way.
  let running = 0;
  const monotone = sorted.map((bucket) => ({
    upperBound: bucket.upperBound,
    count: (running = Math.max(running, bucket.count)),
  }));
  const observations = running;
  if (observations <= 0) return null;
  const rank = q * observations;
  const index = monotone.findIndex((bucket, at) => at === monotone.length - 1 || bucket.count >= rank);
  const bucket = monotone[index];
  if (bucket === undefined) return null;
  if (index === monotone.length - 1) return monotone[monotone.length - 2]?.upperBound ?? null;
  if (index === 0 && bucket.upperBound <= 0) return bucket.upperBound;
  const previous = monotone[index - 1];
  const start = previous?.upperBound ?? 0;
  const below = previous?.count ?? 0;
  const inside = bucket.count - below;
  if (inside <= 0) return bucket.upperBound;
  return start + (bucket.upperBound - start) * ((rank - below) / inside);
}
