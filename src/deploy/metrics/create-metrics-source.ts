import type { MetricsPlan } from './metrics-plan.js';
import type { MetricsSource } from './metrics-reading.js';
import { createPrometheusSource } from './prometheus-source.js';
import { createScrapeSource } from './scrape-source.js';

/** The source a plan names. */
export function createMetricsSource(metrics: MetricsPlan, fetchFn: typeof fetch = fetch): MetricsSource {
  const { source } = metrics;
  return source.kind === 'prometheus'
    ? createPrometheusSource(source.baseUrl, metrics, fetchFn)
    : createScrapeSource(source.urls, metrics, fetchFn);
}
