import type { MetricsSourceSpec } from './metrics-source-spec.js';

/** How the health metrics are read: the source plus metric names or PromQL overrides. */
export interface MetricsPlan {
  readonly source: MetricsSourceSpec;
  /** The PromQL range of each check (`prometheus:` only; `scrape:` measures since the previous check). */
  readonly windowMs: number;
  /** The request counter, labelled with the response status. */
  readonly requestsMetric: string;
  /** The request-duration histogram in seconds (its `_bucket` series are read). */
  readonly durationMetric: string;
  readonly statusLabel: string;
  /** Statuses matching this (anchored) pattern count as errors. */
  readonly errorStatusPattern: string;
  readonly requestsQuery: string | null;
  readonly errorRateQuery: string | null;
  readonly p95Query: string | null;
}
