import { rampWeightAt, SECONDS_PER_DAY, TOTAL_WEIGHT, type RolloutRamp } from './rollout-ramp.js';
import { userBucket } from './user-bucket.js';

/** The exposure of a ramp at one instant, for a sample of users. */
export interface PlanRow {
  readonly atSeconds: number;
  /** Out of TOTAL_WEIGHT. */
  readonly weight: number;
  /** Sample size × exposure: how many of the sample are on, on average over all possible keys. */
  readonly expectedOn: number;
  /** How many of the sample keys are on, by their real bucket. */
  readonly sampledOn: number;
}

/** Where a ramp's exposure changes: every step, or every day of a linear ramp and its end. */
export function rampChangePoints(ramp: RolloutRamp): number[] {
  if (ramp.kind === 'steps') return ramp.steps.map((step) => step.atSeconds);
  const points: number[] = [];
  for (let at = ramp.startSeconds; at < ramp.endSeconds; at += SECONDS_PER_DAY) points.push(at);
  return [...points, ramp.endSeconds];
}

/**
 * The exposure timeline of a ramp over a window (by default from its first change to its last): a
 * row at the window's start, at every change inside it, and at its end. Each sample key is bucketed
 * once, with the hash the evaluator uses; a key is on while its bucket is below the weight.
 */
export function planExposure(
  flagKey: string,
  ramp: RolloutRamp,
  sampleKeys: readonly string[],
  window: { readonly fromSeconds?: number | undefined; readonly toSeconds?: number | undefined } = {},
): PlanRow[] {
  const changes = rampChangePoints(ramp);
  const from = window.fromSeconds ?? changes[0] ?? 0;
  const to = window.toSeconds ?? changes.at(-1) ?? from;
  const instants = [...new Set([from, ...changes.filter((at) => at > from && at < to), to])].filter((at) => at <= to);
  const buckets = sampleKeys.map((key) => userBucket(flagKey, key)).sort((a, b) => a - b);
  return instants.map((atSeconds) => {
    const weight = rampWeightAt(ramp, atSeconds);
    const expectedOn = Number(((sampleKeys.length * weight) / TOTAL_WEIGHT).toFixed(2));
    return { atSeconds, weight, expectedOn, sampledOn: countBelow(buckets, weight) };
  });
}

/** How many of the sorted values are below the limit (binary search). */
function countBelow(sorted: readonly number[], limit: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < limit) low = middle + 1;
    else high = middle;
  }
  return low;
}
