import type { CohortPair } from './cohort-counts.js';
import type { CohortSeries } from './cohort-series.js';

/** What a metrics source saw over one check window. */
export type MetricsReading =
  | {
      readonly kind: 'measured';
      readonly requests: number;
      /** `null` when a custom error-rate query gives the rate without counts. */
      readonly errors: number | null;
      /** `null` when there is no error-rate data at all. */
      readonly errorRate: number | null;
      /** `null` when there is no latency data in the window. */
      readonly p95Ms: number | null;
      /** The window's per-variant counts, when asked for and found; `null` when no series has the variant. */
      readonly cohorts?: CohortPair | null;
      readonly windowStartMs: number;
      readonly windowEndMs: number;
      readonly source: string;
    }
  | {
      /** No data, an unreachable source, or a query error: never a reason to advance. */
      readonly kind: 'unavailable';
      readonly reason: string;
      readonly windowStartMs: number;
      readonly windowEndMs: number;
      readonly source: string;
    };

/** A reading plus what the source wants kept for next time (the `scrape:` counters), if anything. */
export interface MetricsRead {
  readonly reading: MetricsReading;
  readonly baseline: unknown;
}

/** What a check asks a source for. */
export interface MetricsReadInput {
  readonly nowMs: number;
  readonly windowMs: number;
  readonly baseline: unknown;
  /** Also read these per-variant series, for the window since `sinceMs` (the previous check). */
  readonly cohorts?: { readonly series: CohortSeries; readonly sinceMs: number };
}

/** A place health metrics are read from. */
export interface MetricsSource {
  readonly description: string;
  /**
   * Measures the window that ends now. `baseline` is what the previous read returned (persisted
   * in the state, so it survives a restart); `windowMs` is the look-back for sources that query
   * a range.
   */
  read(input: MetricsReadInput): Promise<MetricsRead>;
}
