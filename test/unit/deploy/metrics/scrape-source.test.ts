import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPlan } from '../../../../src/deploy/plan/plan.js';
import type { MetricsPlan } from '../../../../src/deploy/metrics/metrics-plan.js';
import { counterDelta, sumCounters } from '../../../../src/deploy/metrics/scrape-counters.js';
import { createScrapeSource } from '../../../../src/deploy/metrics/scrape-source.js';
import { parseExposition } from '../../../../src/deploy/metrics/exposition-parser.js';

const NAMES = {
  requestsMetric: 'http_requests_total',
  durationMetric: 'http_request_duration_seconds',
  statusLabel: 'status',
  errorStatus: /^(?:5..)$/,
};

function exposition(ok: number, failed: number, fastBucket: number, slowBucket: number): string {
  return [
    `http_requests_total{route="/a",status="200"} ${ok}`,
    `http_requests_total{route="/a",status="503"} ${failed}`,
    'other_total{status="500"} 1000',
    `http_request_duration_seconds_bucket{le="0.1",route="/a"} ${fastBucket}`,
    `http_request_duration_seconds_bucket{le="1.0",route="/a"} ${slowBucket}`,
    `http_request_duration_seconds_bucket{le="+Inf",route="/a"} ${slowBucket}`,
  ].join('\n');
}

describe('scrape counters', () => {
  const counters = (text: string) => {
    const parsed = parseExposition(text);
    if (!parsed.ok) throw new Error(parsed.error);
    return sumCounters(parsed.value, NAMES);
  };

  it('sums requests and 5xx errors over series, and buckets by bound', () => {
    expect(counters(exposition(90, 10, 60, 100))).toEqual({
      requests: 100,
      errors: 10,
      buckets: { '0.1': 60, '1': 100, '+Inf': 100 },
    });
  });

  it('measures the increase since the baseline', () => {
    expect(counterDelta(counters(exposition(180, 20, 120, 200)), counters(exposition(90, 10, 60, 100)))).toEqual({
      requests: 100,
      errors: 10,
      buckets: { '0.1': 60, '1': 100, '+Inf': 100 },
    });
  });

  it('takes the current counters as the increase after an instance restart', () => {
    const restarted = counters(exposition(9, 1, 6, 10));
    expect(counterDelta(restarted, counters(exposition(90, 10, 60, 100)))).toEqual(restarted);
  });
});

describe('createScrapeSource', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function serve(texts: string[]): Promise<string> {
    let call = 0;
    const server = createServer((_request, response) => response.end(texts[Math.min(call++, texts.length - 1)]));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  }

  function metricsPlan(urls: string[]): MetricsPlan {
    const built = buildPlan({ flag: 'f', configFile: '/x', metrics: { kind: 'scrape', urls } });
    if (!built.ok || built.value.metrics === null) throw new Error('no plan');
    return built.value.metrics;
  }

  it('records a baseline first, then sums the deltas of every instance', async () => {
    const a = await serve([exposition(90, 10, 60, 100), exposition(180, 20, 120, 200)]);
    const b = await serve([exposition(0, 0, 0, 0), exposition(95, 5, 100, 100)]);
    const source = createScrapeSource([a, b], metricsPlan([a, b]));

    const first = await source.read({ nowMs: 1_000, windowMs: 0, baseline: null });
    expect(first.reading).toMatchObject({
      kind: 'unavailable',
      reason: 'first scrape: counters recorded, measuring from now',
    });
    const second = await source.read({ nowMs: 61_000, windowMs: 0, baseline: first.baseline });
    // Deltas: a 100 requests (10 errors), b 100 (5 errors); buckets 0.1: 60 + 100, 1: 100 + 100.
    // p95 rank 190 of 200 lies in (0.1, 1]: 0.1 + 0.9 × (190 − 160) / 40 = 0.775 s.
    expect(second.reading).toMatchObject({
      kind: 'measured',
      requests: 200,
      errors: 15,
      errorRate: 0.075,
      windowStartMs: 1_000,
      windowEndMs: 61_000,
    });
    expect(second.reading.kind === 'measured' && second.reading.p95Ms).toBeCloseTo(775, 9);
  });

  it('is unavailable while an instance is unreachable, keeping the old baseline', async () => {
    const a = await serve([exposition(1, 0, 1, 1)]);
    const gone = 'http://127.0.0.1:1/metrics';
    const source = createScrapeSource([a, gone], metricsPlan([a, gone]));
    const baseline = { atMs: 5, instances: {} };
    const result = await source.read({ nowMs: 10, windowMs: 0, baseline });
    expect(result.reading.kind === 'unavailable' && result.reading.reason).toMatch(
      /^cannot scrape http:\/\/127\.0\.0\.1:1\/metrics: /,
    );
    expect(result.baseline).toBe(baseline);
  });

  it('names an instance whose output does not parse', async () => {
    const a = await serve(['not metrics at all {']);
    const result = await createScrapeSource([a], metricsPlan([a])).read({ nowMs: 10, windowMs: 0, baseline: null });
    expect(result.reading.kind === 'unavailable' && result.reading.reason).toMatch(
      new RegExp(`^cannot parse metrics from ${a}: line 1: `),
    );
  });
});
