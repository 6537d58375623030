import type { MetricsPlan } from './metrics-plan.js';

/** The three PromQL queries of a check: request count, error rate (0–1), p95 latency in seconds. */
export interface HealthQueries {
  readonly requests: string;
  readonly errorRate: string;
  readonly p95Seconds: string;
}

/**
 * The default queries over a `[window]` range, for a prom-client style app: a request counter
 * labelled with the status (`http_requests_total{status}`) and a duration histogram in seconds
 * (`http_request_duration_seconds`). `or vector(0)` makes "no error series yet" a 0% error rate
 * rather than no data; no requests at all still gives no data. Each can be overridden.
 */
export function healthQueries(metrics: MetricsPlan): HealthQueries {
  const range = `[${promDuration(metrics.windowMs)}]`;
  const requests = `sum(increase(${metrics.requestsMetric}${range}))`;
  const errorSelector = `${metrics.requestsMetric}{${metrics.statusLabel}=~"${metrics.errorStatusPattern}"}`;
  return {
    requests: metrics.requestsQuery ?? requests,
    errorRate: metrics.errorRateQuery ?? `(sum(increase(${errorSelector}${range})) or vector(0)) / ${requests}`,
    p95Seconds:
      metrics.p95Query ?? `histogram_quantile(0.95, sum by (le) (rate(${metrics.durationMetric}_bucket${range})))`,
  };
}

/** Milliseconds as a PromQL duration: whole seconds as `60s`, anything finer as `1500ms`. */
export function promDuration(ms: number): string {
  const whole = Math.max(1, Math.round(ms));
  return whole % 1000 === 0 ? `${whole / 1000}s` : `${whole}ms`;
}
