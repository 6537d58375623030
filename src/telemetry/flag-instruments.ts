import type { Counter, Histogram, Meter } from '@opentelemetry/api';

/**
 * The OpenTelemetry instruments the provider records, named after the feature-flag semantic
 * conventions' namespace (`feature_flag.*`) and attributed with its attribute names. The
 * Prometheus exporter shows them as `feature_flag_evaluations_total`,
 * `feature_flag_tracking_events_total`, `feature_flag_tracking_errors_total` and
 * `feature_flag_tracking_duration_seconds_{bucket,sum,count}` (see docs/DEPLOYMENT.md).
 */
export const INSTRUMENT_NAMES = {
  evaluations: 'feature_flag.evaluations',
  trackedEvents: 'feature_flag.tracking.events',
  trackedErrors: 'feature_flag.tracking.errors',
  trackedDuration: 'feature_flag.tracking.duration',
} as const;

/** The attribute of the tracking event's name (`client.track(name, …)`), a general OpenTelemetry attribute. */
export const EVENT_NAME_ATTRIBUTE = 'event.name';

/**
 * Bucket bounds of the duration histogram, in seconds: those the HTTP semantic conventions advise
 * for request durations, so p95 and the share of slow requests are readable from 5 ms to 10 s.
 */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export interface FlagInstruments {
  readonly evaluations: Counter;
  readonly trackedEvents: Counter;
  readonly trackedErrors: Counter;
  readonly trackedDuration: Histogram;
}

export function createFlagInstruments(meter: Meter): FlagInstruments {
  return {
    evaluations: meter.createCounter(INSTRUMENT_NAMES.evaluations, {
      description: 'Flag evaluations by flag, variant and reason',
      unit: '{evaluation}',
    }),
    trackedEvents: meter.createCounter(INSTRUMENT_NAMES.trackedEvents, {
      description: 'Tracked events (client.track) attributed to the variant the context receives',
      unit: '{event}',
    }),
    trackedErrors: meter.createCounter(INSTRUMENT_NAMES.trackedErrors, {
      description: 'Tracked events marked error: true, by flag and variant',
      unit: '{event}',
    }),
    trackedDuration: meter.createHistogram(INSTRUMENT_NAMES.trackedDuration, {
      description: 'The numeric value of tracked events (a latency in milliseconds), recorded in seconds',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS_SECONDS },
    }),
  };
}
