import { describeError } from '../../errors/describe-error.js';
import type { MetricsPlan } from './metrics-plan.js';
import type { MetricsRead, MetricsSource } from './metrics-reading.js';
import type { CohortPair } from './cohort-counts.js';
import { readPrometheusCohorts } from './prometheus-cohorts.js';
import { healthQueries } from './promql-queries.js';
import { fetchQuery } from './prometheus-query.js';

/** A query's single number; `null` for no data (an empty result or NaN); a string says what failed. */
type QueryResult = number | null | string;

/**
 * Reads the health numbers from a Prometheus server with instant queries over the HTTP API
 * (`/api/v1/query`), each over the plan's window ending now. An unreachable server or a failed
 * query gives an `unavailable` reading.
 */
export function createPrometheusSource(
  baseUrl: string,
  metrics: MetricsPlan,
  fetchFn: typeof fetch = fetch,
): MetricsSource {
  const queries = healthQueries(metrics);
  const description = `prometheus ${baseUrl}`;
  const customErrorRate = metrics.errorRateQuery !== null;
  return {
    description,
    read: async ({ nowMs, windowMs, cohorts }): Promise<MetricsRead> => {
      const windowStartMs = nowMs - windowMs;
      const [requests, errorRate, p95Seconds, cohortPair] = await Promise.all([
        ...[queries.requests, queries.errorRate, queries.p95Seconds].map((query) => runQuery(baseUrl, query, fetchFn)),
        cohorts === undefined
          ? undefined
          : readPrometheusCohorts(baseUrl, cohorts.series, { sinceMs: cohorts.sinceMs, nowMs }, fetchFn),
      ]);
      const failure = [requests, errorRate, p95Seconds, cohortPair].find((result) => typeof result === 'string');
      const base = { windowStartMs, windowEndMs: nowMs, source: description };
      if (typeof failure === 'string')
        return { reading: { kind: 'unavailable', reason: failure, ...base }, baseline: null };
      if (typeof requests !== 'number' && typeof cohortPair === 'object' && cohortPair !== null) {
        // An app with only the per-variant series: the gate judges all traffic from their sum.
        const reading = { kind: 'measured' as const, requests: 0, errors: null, errorRate: null, p95Ms: null, ...base };
        return { reading: { ...reading, cohorts: cohortPair }, baseline: null };
      }
      if (typeof requests !== 'number') {
        return { reading: { kind: 'unavailable', reason: `no data for ${queries.requests}`, ...base }, baseline: null };
      }
      const rate = errorRate as number | null;
      const p95 = p95Seconds as number | null;
      const errors = customErrorRate || rate === null ? null : rate * requests;
      const reading = {
        kind: 'measured' as const,
        requests,
        errors,
        errorRate: rate,
        p95Ms: p95 === null ? null : p95 * 1000,
        ...base,
        ...(cohortPair === undefined ? {} : { cohorts: cohortPair as CohortPair | null }),
      };
      return { reading, baseline: null };
    },
  };
}

async function runQuery(baseUrl: string, query: string, fetchFn: typeof fetch): Promise<QueryResult> {
  const fetched = await fetchQuery(baseUrl, query, fetchFn);
  return fetched.ok ? readQueryResponse(fetched.value, query) : fetched.error;
}

/** Turns a `/api/v1/query` response into one number (see {@link QueryResult}). */
export function readQueryResponse(body: unknown, query: string): QueryResult {
  const response = body as { status?: unknown; error?: unknown; data?: { resultType?: unknown; result?: unknown } };
  if (response.status !== 'success') return `query failed: ${describeError(response.error ?? 'no status')}: ${query}`;
  const { resultType, result } = response.data ?? {};
  if (resultType === 'scalar') return sampleValue(result);
  if (resultType !== 'vector' || !Array.isArray(result)) return `query must give a number or one series: ${query}`;
  if (result.length === 0) return null;
  if (result.length > 1) return `query gave ${result.length} series, expected one (add sum(...)): ${query}`;
  return sampleValue((result[0] as { value?: unknown }).value);
}

function sampleValue(pair: unknown): number | null {
  const value = Array.isArray(pair) ? Number(pair[1]) : Number.NaN;
  return Number.isFinite(value) ? value : null;
}
