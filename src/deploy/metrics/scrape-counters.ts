import type { Sample } from './exposition-parser.js';

/** The counters of one instance, summed over all series: requests, errors, and duration buckets. */
export interface InstanceCounters {
  readonly requests: number;
  readonly errors: number;
  /** Cumulative bucket counts by `le` bound as written (`"0.1"`, `"+Inf"`). */
  readonly buckets: Readonly<Record<string, number>>;
}

/** Which series to read, and which statuses are errors. */
export interface CounterNames {
  readonly requestsMetric: string;
  readonly durationMetric: string;
  readonly statusLabel: string;
  readonly errorStatus: RegExp;
}

/** Sums an instance's samples into its request, error and bucket counters. */
export function sumCounters(samples: readonly Sample[], names: CounterNames): InstanceCounters {
  let requests = 0;
  let errors = 0;
  const buckets: Record<string, number> = {};
  const bucketName = `${names.durationMetric}_bucket`;
  for (const sample of samples) {
    if (!Number.isFinite(sample.value)) continue;
    if (sample.name === names.requestsMetric) {
      requests += sample.value;
      if (names.errorStatus.test(sample.labels[names.statusLabel] ?? '')) errors += sample.value;
    } else if (sample.name === bucketName) {
      const le = normalizeBound(sample.labels['le']);
      if (le !== undefined) buckets[le] = (buckets[le] ?? 0) + sample.value;
    }
  }
  return { requests, errors, buckets };
}

/**
 * What an instance counted since `before`. Counters only grow, so a smaller request count means
 * the instance restarted: its counters started again from zero and the current values are the
 * increase (Prometheus's `increase()` treats a reset the same way). An instance without a
 * baseline is new and is counted the same way.
 */
export function counterDelta(now: InstanceCounters, before: InstanceCounters | undefined): InstanceCounters {
  if (before === undefined || now.requests < before.requests) return now;
  const buckets: Record<string, number> = {};
  for (const [le, count] of Object.entries(now.buckets)) buckets[le] = Math.max(0, count - (before.buckets[le] ?? 0));
  return {
    requests: now.requests - before.requests,
    errors: Math.max(0, now.errors - before.errors),
    buckets,
  };
}

/** Adds up the deltas of all instances. */
export function addCounters(all: readonly InstanceCounters[]): InstanceCounters {
  const buckets: Record<string, number> = {};
  let requests = 0;
  let errors = 0;
  for (const counters of all) {
    requests += counters.requests;
    errors += counters.errors;
    for (const [le, count] of Object.entries(counters.buckets)) buckets[le] = (buckets[le] ?? 0) + count;
  }
  return { requests, errors, buckets };
}

/** `"1"`, `"1.0"` and `"1e0"` name the same bucket; `+Inf` stays as written. */
export function normalizeBound(le: string | undefined): string | undefined {
  if (le === undefined) return undefined;
  if (le === '+Inf' || le === 'Inf') return '+Inf';
  const bound = Number(le);
  return Number.isNaN(bound) ? undefined : String(bound);
}
