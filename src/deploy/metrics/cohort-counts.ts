import { addCounters, type InstanceCounters } from './scrape-counters.js';

/**
 * What one cohort (the users on one variant) did: requests, failed requests, and their cumulative
 * latency buckets in seconds (empty without a histogram) — the same counters an instance sums.
 */
export type CohortCounts = InstanceCounters;

/** Treatment (the variant being rolled out, `on`) and control (everyone else) over the same window. */
export interface CohortPair {
  readonly treatment: CohortCounts;
  readonly control: CohortCounts;
}

export const EMPTY_COHORT: CohortCounts = { requests: 0, errors: 0, buckets: {} };

/** Adds two cohorts' counts, bucket by bucket. */
export function addCohortCounts(a: CohortCounts, b: CohortCounts): CohortCounts {
  return addCounters([a, b]);
}

/** How many requests took longer than `upperBoundSeconds` (a bucket bound the histogram has). */
export function countSlowerThan(counts: CohortCounts, upperBoundSeconds: string): number | null {
  const within = counts.buckets[upperBoundSeconds];
  const total = counts.buckets['+Inf'] ?? counts.requests;
  return within === undefined ? null : Math.max(0, total - within);
}
