import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../../src/deploy/plan/plan.js';
import type { PlanSpec } from '../../../../src/deploy/plan/deployment-plan.js';
import type { MetricsPlan } from '../../../../src/deploy/metrics/metrics-plan.js';
import { createPrometheusSource, readQueryResponse } from '../../../../src/deploy/metrics/prometheus-source.js';
import { healthQueries, promDuration } from '../../../../src/deploy/metrics/promql-queries.js';

function metricsPlan(spec: Partial<PlanSpec> = {}): MetricsPlan {
  const built = buildPlan({
    flag: 'f',
    configFile: '/x',
    metrics: { kind: 'prometheus', baseUrl: 'http://prom:9090' },
    ...spec,
  });
  if (!built.ok || built.value.metrics === null) throw new Error('no plan');
  return built.value.metrics;
}

const vector = (value: string) => ({
  status: 'success',
  data: { resultType: 'vector', result: [{ metric: {}, value: [1, value] }] },
});

describe('healthQueries', () => {
  it('builds the default PromQL over the window from the metric names', () => {
    expect(healthQueries(metricsPlan({ windowMs: 120_000 }))).toEqual({
      requests: 'sum(increase(http_requests_total[120s]))',
      errorRate:
        '(sum(increase(http_requests_total{status=~"5.."}[120s])) or vector(0)) / sum(increase(http_requests_total[120s]))',
      p95Seconds: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[120s])))',
    });
  });

  it('follows renamed metrics and labels', () => {
    const queries = healthQueries(
      metricsPlan({
        requestsMetric: 'api_calls_total',
        statusLabel: 'code',
        errorStatusPattern: '5..|429',
        durationMetric: 'api_latency_seconds',
      }),
    );
    expect(queries.errorRate).toBe(
      '(sum(increase(api_calls_total{code=~"5..|429"}[60s])) or vector(0)) / sum(increase(api_calls_total[60s]))',
    );
    expect(queries.p95Seconds).toBe('histogram_quantile(0.95, sum by (le) (rate(api_latency_seconds_bucket[60s])))');
  });

  it.each([
    [60_000, '60s'],
    [1_500, '1500ms'],
    [0.2, '1ms'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(promDuration(ms)).toBe(text);
  });
});

describe('readQueryResponse', () => {
  it.each([
    [vector('0.25'), 0.25],
    [{ status: 'success', data: { resultType: 'scalar', result: [1, '7'] } }, 7],
    [{ status: 'success', data: { resultType: 'vector', result: [] } }, null],
    [vector('NaN'), null],
  ])('reads %j as %j', (body, value) => {
    expect(readQueryResponse(body, 'q')).toBe(value);
  });

  it('names a failed or ambiguous query', () => {
    expect(readQueryResponse({ status: 'error', errorType: 'bad_data', error: 'parse error' }, 'q(')).toBe(
      'query failed: parse error: q(',
    );
    const two = {
      status: 'success',
      data: { resultType: 'vector', result: [{ value: [1, '1'] }, { value: [1, '2'] }] },
    };
    expect(readQueryResponse(two, 'q')).toBe('query gave 2 series, expected one (add sum(...)): q');
  });
});

describe('createPrometheusSource', () => {
  it('sends the three queries to /api/v1/query and turns the answers into a reading', async () => {
    const asked: string[] = [];
    const answers: Record<string, unknown> = {};
    const metrics = metricsPlan();
    const queries = healthQueries(metrics);
    answers[queries.requests] = vector('1200');
    answers[queries.errorRate] = vector('0.005');
    answers[queries.p95Seconds] = vector('0.2425');
    const fakeFetch = (async (url: string) => {
      const query = new URL(url).searchParams.get('query') ?? '';
      asked.push(new URL(url).pathname);
      return new Response(JSON.stringify(answers[query]));
    }) as typeof fetch;

    const { reading } = await createPrometheusSource('http://prom:9090', metrics, fakeFetch).read({
      nowMs: 100_000,
      windowMs: 60_000,
      baseline: null,
    });
    expect(asked).toEqual(['/api/v1/query', '/api/v1/query', '/api/v1/query']);
    expect(reading).toMatchObject({
      kind: 'measured',
      requests: 1200,
      errors: 6,
      errorRate: 0.005,
      windowStartMs: 40_000,
      windowEndMs: 100_000,
    });
    expect(reading.kind === 'measured' && reading.p95Ms).toBeCloseTo(242.5, 9);
  });

  it('reports an answer that is not JSON as a failed query', async () => {
    const fakeFetch = (async () => new Response('<html>', { status: 502 })) as unknown as typeof fetch;
    const { reading } = await createPrometheusSource('http://prom:9090', metricsPlan(), fakeFetch).read({
      nowMs: 1,
      windowMs: 1,
      baseline: null,
    });
    expect(reading.kind === 'unavailable' && reading.reason).toMatch(/^query failed: HTTP 502, not JSON: /);
  });
});
