import { describeError } from '../../errors/describe-error.js';
import { addCohortCounts, EMPTY_COHORT, type CohortCounts, type CohortPair } from './cohort-counts.js';
import type { CohortSeries } from './cohort-series.js';
import { fetchQuery } from './prometheus-query.js';
import { promDuration } from './promql-queries.js';
import { normalizeBound } from './scrape-counters.js';

/** The PromQL of the per-variant counts over `[range]`, summed by variant (and bucket bound). */
export function cohortQueries(
  series: CohortSeries,
  rangeMs: number,
): { requests: string; errors: string; buckets: string } {
  const range = `[${promDuration(rangeMs)}]`;
  const match = Object.entries(series.match).map(([label, value]) => `${label}=${JSON.stringify(value)}`);
  const selector = (name: string, extra: readonly string[] = []): string =>
    `${name}{${[...match, ...extra].join(',')}}`;
  const by = series.variantLabel;
  const errorSelector =
    series.errorsMetric === null
      ? selector(series.requestsMetric, [`${series.statusLabel}=~${JSON.stringify(series.errorStatusPattern)}`])
      : selector(series.errorsMetric);
  return {
    requests: `sum by (${by}) (increase(${selector(series.requestsMetric)}${range}))`,
    errors: `sum by (${by}) (increase(${errorSelector}${range}))`,
    buckets: `sum by (${by}, le) (increase(${selector(`${series.durationMetric}_bucket`)}${range}))`,
  };
}

/**
 * The per-variant counts since `sinceMs`, from a Prometheus server. `null` when no request series
 * carries the variant (no per-variant data); a string says what failed.
 */
export async function readPrometheusCohorts(
  baseUrl: string,
  series: CohortSeries,
  window: { readonly sinceMs: number; readonly nowMs: number },
  fetchFn: typeof fetch,
): Promise<CohortPair | null | string> {
  const queries = cohortQueries(series, window.nowMs - window.sinceMs);
  const results = await Promise.all(
    [queries.requests, queries.errors, queries.buckets].map(async (query) => {
      const fetched = await fetchQuery(baseUrl, query, fetchFn);
      return fetched.ok ? readVector(fetched.value, query) : fetched.error;
    }),
  );
  const failure = results.find((result) => typeof result === 'string');
  if (typeof failure === 'string') return failure;
  const [requests, errors, buckets] = results as VectorSample[][];
  if (requests === undefined || requests.length === 0) return null;
  let pair: CohortPair = { treatment: EMPTY_COHORT, control: EMPTY_COHORT };
  const add = (labels: Readonly<Record<string, string>>, counts: CohortCounts): void => {
    const treated = labels[series.variantLabel] === series.treatmentVariant;
    pair = treated
      ? { ...pair, treatment: addCohortCounts(pair.treatment, counts) }
      : { ...pair, control: addCohortCounts(pair.control, counts) };
  };
  for (const sample of requests) add(sample.labels, { requests: sample.value, errors: 0, buckets: {} });
  for (const sample of errors ?? []) add(sample.labels, { requests: 0, errors: sample.value, buckets: {} });
  for (const sample of buckets ?? []) {
    const le = normalizeBound(sample.labels['le']);
    if (le !== undefined) add(sample.labels, { requests: 0, errors: 0, buckets: { [le]: sample.value } });
  }
  return pair;
}

interface VectorSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** An instant vector's samples with a finite value (a counter with no increase gives NaN-free zero). */
function readVector(body: unknown, query: string): VectorSample[] | string {
  const response = body as { status?: unknown; error?: unknown; data?: { resultType?: unknown; result?: unknown } };
  if (response.status !== 'success') return `query failed: ${describeError(response.error ?? 'no status')}: ${query}`;
  const { resultType, result } = response.data ?? {};
  if (resultType !== 'vector' || !Array.isArray(result)) return `query must give a vector: ${query}`;
  return result.flatMap((entry: { metric?: Record<string, string>; value?: unknown }) => {
    const value = Array.isArray(entry.value) ? Number(entry.value[1]) : Number.NaN;
    return Number.isFinite(value) ? [{ labels: entry.metric ?? {}, value }] : [];
  });
}
