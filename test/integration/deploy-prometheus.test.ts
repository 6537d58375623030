import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/deploy/state/deployment-state.js';
import { createPrometheusSource } from '../../src/deploy/metrics/prometheus-source.js';
import { buildPlan } from '../../src/deploy/plan/plan.js';
import type { MetricsPlan } from '../../src/deploy/metrics/metrics-plan.js';
import { makeDeployWorkspace, servedFlags } from '../fixtures/deploy/deploy-workspace.js';
import {
  prometheusInstalled,
  startPrometheus,
  waitUntil,
  type PrometheusServer,
} from '../fixtures/deploy/prometheus-server.js';
import { jsonLines, requireBuiltCli, runCli } from '../fixtures/deploy/run-cli.js';
import { freePort } from '../fixtures/server-process.js';
import { startTestApp, type TestApp } from '../fixtures/deploy/test-app.js';
import { startTraffic, type Traffic } from '../fixtures/deploy/traffic.js';

/*
 * The Prometheus source against a real Prometheus that scrapes a real prom-client app every
 * second. Expected values come from the app's settings: every 10th request fails (10%), and every
 * request takes (and records) 120 ms, so all observations fall in the (0.1, 0.25] bucket of prom-client's
 * default buckets, where histogram_quantile interpolates p95 = 0.1 + 0.15 × 0.95 = 0.2425 s.
 */

const installed = prometheusInstalled();
if (!installed)
  console.warn('skipping the Prometheus tests: the `prometheus` binary is not installed (apt-get install prometheus)');

describe.skipIf(!installed)('the prometheus: metrics source against a real Prometheus', () => {
  let app: TestApp;
  let traffic: Traffic;
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    app = await startTestApp({ errorRate: 0.1, latencyMs: 120 });
    traffic = startTraffic(app.workUrl, 100);
    prometheus = await startPrometheus([`127.0.0.1:${app.port}`]);
    // Wait until a 5 s window holds samples from several scrapes.
    const query = encodeURIComponent('sum(increase(http_requests_total[5s]))');
    await waitUntil(async () => {
      const body = (await (await fetch(`${prometheus.url}/api/v1/query?query=${query}`)).json()) as {
        data: { result: unknown[] };
      };
      return body.data.result.length > 0;
    }, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  }, 40_000);

  afterAll(async () => {
    await traffic?.stop();
    await prometheus?.stop();
    await app?.close();
  });

  function metricsPlan(source: string, windowMs: number): MetricsPlan {
    const built = buildPlan({
      flag: 'f',
      configFile: '/dev/null',
      metrics: { kind: 'prometheus', baseUrl: source },
      windowMs,
    });
    if (!built.ok || built.value.metrics === null) throw new Error('plan did not build');
    return built.value.metrics;
  }

  it('reads the error rate, p95 and request count with the default PromQL', async () => {
    const source = createPrometheusSource(prometheus.url, metricsPlan(prometheus.url, 5_000));
    const { reading } = await source.read({ nowMs: Date.now(), windowMs: 5_000, baseline: null });

    expect(reading.kind).toBe('measured');
    if (reading.kind !== 'measured') return;
    expect(reading.errorRate).toBeGreaterThan(0.09);
    expect(reading.errorRate).toBeLessThan(0.11);
    expect(reading.p95Ms).toBeCloseTo(242.5, 3);
    expect(reading.requests).toBeGreaterThan(100);
  });

  it('uses the queries given in place of the defaults', async () => {
    const metrics = {
      ...metricsPlan(prometheus.url, 5_000),
      requestsQuery: 'vector(1234)',
      errorRateQuery: 'vector(0.5)',
      p95Query: 'vector(0.3)',
    };
    const { reading } = await createPrometheusSource(prometheus.url, metrics).read({
      nowMs: Date.now(),
      windowMs: 5_000,
      baseline: null,
    });

    expect(reading).toMatchObject({ kind: 'measured', requests: 1234, errorRate: 0.5, p95Ms: 300, errors: null });
  });

  it('gives no data, not a pass, for a metric the app does not have', async () => {
    const metrics = { ...metricsPlan(prometheus.url, 5_000), requestsMetric: 'no_such_requests_total' };
    const { reading } = await createPrometheusSource(prometheus.url, metrics).read({
      nowMs: Date.now(),
      windowMs: 5_000,
      baseline: null,
    });

    expect(reading).toMatchObject({
      kind: 'unavailable',
      reason: 'no data for sum(increase(no_such_requests_total[5s]))',
    });
  });

  it('rolls a deployment back through the CLI when Prometheus shows the error rate over the limit', async () => {
    requireBuiltCli();
    const workspace = await makeDeployWorkspace();
    try {
      const result = await runCli(
        [
          'deploy',
          'start',
          '--flag',
          'phase_4_deployment',
          '--config',
          workspace.flagFile,
          '--state',
          workspace.stateFile,
          '--json',
          '--strategy',
          'custom',
          '--steps',
          '0,50,100',
          '--step-duration',
          '1s',
          '--check-interval',
          '500ms',
          '--metrics',
          `prometheus:${prometheus.url}`,
          '--window',
          '5s',
          '--max-error-rate',
          '0.05',
          '--max-p95-ms',
          '1000',
          '--failure-limit',
          '1',
        ],
        workspace.dir,
      );

      expect(result.code).toBe(3);
      const rollback = jsonLines(result.stdout)
        .filter((line) => line['event'] === 'transition')
        .map((line) => line['entry'] as JournalEntry)
        .find((entry) => entry.event === 'rollback');
      // The app has no per-variant series, so the default cohort analysis judges all traffic and says so.
      expect(rollback?.reason).toMatch(
        /^1 failed checks in a row: error rate (9|10|11)(\.\d+)?% > 5%; no per-variant series found: judged all traffic$/,
      );
      expect(rollback?.thresholds?.maxErrorRate).toBe(0.05);
      expect((await servedFlags(workspace))['phase_4_deployment']).toMatchObject({
        enabled: false,
        rollout_percentage: 0,
      });
    } finally {
      await workspace.cleanup();
    }
  });
});

describe('the prometheus: metrics source without a server', () => {
  it('reports an unreachable server as unavailable, naming it', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const built = buildPlan({ flag: 'f', configFile: '/dev/null', metrics: { kind: 'prometheus', baseUrl: url } });
    if (!built.ok || built.value.metrics === null) throw new Error('plan did not build');
    const { reading } = await createPrometheusSource(url, built.value.metrics).read({
      nowMs: Date.now(),
      windowMs: 60_000,
      baseline: null,
    });

    expect(reading.kind).toBe('unavailable');
    expect(reading.kind === 'unavailable' && reading.reason).toBe(
      `Prometheus unreachable at ${url}: ECONNREFUSED (connect ECONNREFUSED ${url.slice('http://'.length)})`,
    );
  });
});
