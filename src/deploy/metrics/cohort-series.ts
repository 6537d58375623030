import { addCohortCounts, EMPTY_COHORT, type CohortCounts, type CohortPair } from './cohort-counts.js';
import type { Sample } from './exposition-parser.js';
import { normalizeBound } from './scrape-counters.js';

/**
 * The series of the provider's tracking instruments as the OpenTelemetry Prometheus exporter shows
 * them (exporter-prometheus 0.301): dots become underscores and counters end in `_total`; the
 * histogram's name carries no unit suffix. Attributes become labels the same way
 * (`feature_flag.key` → `feature_flag_key`). test/integration/deploy-cohort.test.ts reads them from
 * the real exporter.
 */
export const TRACKING_SERIES = {
  events: 'feature_flag_tracking_events_total',
  errors: 'feature_flag_tracking_errors_total',
  duration: 'feature_flag_tracking_duration',
  flagLabel: 'feature_flag_key',
  variantLabel: 'feature_flag_result_variant',
  eventLabel: 'event_name',
  /** The tracking event the gate judges: one per unit of work (see docs/DEPLOYMENT.md). */
  event: 'request',
} as const;

/** Which series hold the per-variant outcomes of one flag, and how to split them. */
export interface CohortSeries {
  readonly requestsMetric: string;
  /** A counter of failed requests; `null`: the failed requests are those whose status label matches. */
  readonly errorsMetric: string | null;
  readonly statusLabel: string;
  /** Anchored regular expression of error statuses (used when `errorsMetric` is `null`). */
  readonly errorStatusPattern: string;
  /** The duration histogram's base name; its `_bucket` series are read. */
  readonly durationMetric: string;
  readonly variantLabel: string;
  readonly treatmentVariant: string;
  /** Label values every series must have (the flag key, the tracking event). */
  readonly match: Readonly<Record<string, string>>;
}

/** The series of the provider's own instruments for `flag`. */
export function trackingSeries(flag: string, treatmentVariant: string): CohortSeries {
  return {
    requestsMetric: TRACKING_SERIES.events,
    errorsMetric: TRACKING_SERIES.errors,
    statusLabel: '',
    errorStatusPattern: '',
    durationMetric: TRACKING_SERIES.duration,
    variantLabel: TRACKING_SERIES.variantLabel,
    treatmentVariant,
    match: { [TRACKING_SERIES.flagLabel]: flag, [TRACKING_SERIES.eventLabel]: TRACKING_SERIES.event },
  };
}

/**
 * Sums one instance's samples into treatment and control. `null` when no request series carries the
 * variant label with the wanted labels: there is no per-variant data, and the gate judges all traffic.
 */
export function sumCohortSamples(samples: readonly Sample[], series: CohortSeries): CohortPair | null {
  const errorStatus = new RegExp(`^(?:${series.errorStatusPattern})$`);
  const bucketName = `${series.durationMetric}_bucket`;
  let found = false;
  let treatment: CohortCounts = EMPTY_COHORT;
  let control: CohortCounts = EMPTY_COHORT;
  for (const sample of samples) {
    if (!Number.isFinite(sample.value) || !matches(sample, series)) continue;
    const variant = sample.labels[series.variantLabel];
    if (variant === undefined) continue;
    const counts = countsOf(sample, series, errorStatus, bucketName);
    if (counts === null) continue;
    if (sample.name === series.requestsMetric) found = true;
    if (variant === series.treatmentVariant) treatment = addCohortCounts(treatment, counts);
    else control = addCohortCounts(control, counts);
  }
  return found ? { treatment, control } : null;
}

function countsOf(sample: Sample, series: CohortSeries, errorStatus: RegExp, bucketName: string): CohortCounts | null {
  if (sample.name === series.requestsMetric) {
    const failed = series.errorsMetric === null && errorStatus.test(sample.labels[series.statusLabel] ?? '');
    return { requests: sample.value, errors: failed ? sample.value : 0, buckets: {} };
  }
  if (sample.name === series.errorsMetric) return { requests: 0, errors: sample.value, buckets: {} };
  if (sample.name === bucketName) {
    const le = normalizeBound(sample.labels['le']);
    return le === undefined ? null : { requests: 0, errors: 0, buckets: { [le]: sample.value } };
  }
  return null;
}

function matches(sample: Sample, series: CohortSeries): boolean {
  return Object.entries(series.match).every(([label, value]) => sample.labels[label] === value);
}
