import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenFeature } from '@openfeature/server-sdk';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumCohortSamples, trackingSeries } from '../../src/deploy/metrics/cohort-series.js';
import { parseExposition, type Sample } from '../../src/deploy/metrics/exposition-parser.js';
import type { FlagSetDocument } from '../../src/flagd/model.js';
import { GenesisProvider } from '../../src/provider/genesis-provider.js';

/*
 * GenesisProvider.track through the official OpenFeature SDK, recorded by a real OpenTelemetry SDK
 * and read back from its Prometheus exporter: events are attributed to the variant each context
 * receives of guarded-rollout flags only, and evaluations carry the OpenTelemetry attributes.
 */

const FLAGS: FlagSetDocument = {
  flags: {
    checkout: {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: {
        fractional: [
          ['on', 50],
          ['off', 50],
        ],
      },
      metadata: { strategy: 'percentage' },
    },
    banner: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
  },
};

let server: Server;
let exporter: PrometheusExporter;
let meterProvider: MeterProvider;
let metricsUrl: string;

beforeAll(async () => {
  exporter = new PrometheusExporter({ preventServerStart: true });
  meterProvider = new MeterProvider({ readers: [exporter] });
  metrics.setGlobalMeterProvider(meterProvider);
  server = createServer((request, response) => exporter.getMetricsRequestHandler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  metricsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  await OpenFeature.setProviderAndWait('tracking', new GenesisProvider({ flags: FLAGS, envOverrides: false }));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await OpenFeature.clearProviders();
  await meterProvider.shutdown();
  metrics.disable();
});

async function scrape(): Promise<Sample[]> {
  const parsed = parseExposition(await (await fetch(metricsUrl)).text());
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe('GenesisProvider.track', () => {
  it('attributes each request to the variant its user gets, counting errors and latency per variant', async () => {
    const client = OpenFeature.getClient('tracking');
    let treated = 0;
    for (let user = 0; user < 200; user += 1) {
      const context = { targetingKey: `user-${user}` };
      const on = await client.getBooleanValue('checkout', false, context);
      if (on) treated += 1;
      client.track('request', context, { value: on ? 30 : 3, error: on && user % 2 === 0 });
    }

    const pair = sumCohortSamples(await scrape(), trackingSeries('checkout', 'on'));
    const treatedErrors = await countTreatedErrors(client);
    expect(treated).toBeGreaterThan(60);
    expect(pair?.treatment).toMatchObject({ requests: treated, errors: treatedErrors });
    expect(pair?.control).toMatchObject({ requests: 200 - treated, errors: 0 });
    // 30 ms lands in the 0.05 s bucket and above 0.025 s; 3 ms in the 0.005 s bucket.
    expect(pair?.treatment.buckets).toMatchObject({ '0.025': 0, '0.05': treated, '+Inf': treated });
    expect(pair?.control.buckets).toMatchObject({ '0.005': 200 - treated, '+Inf': 200 - treated });
  });

  it('records no tracked events for a flag that is not under a guarded rollout', async () => {
    const samples = await scrape();
    const banner = samples.filter(
      (sample) =>
        sample.name === 'feature_flag_tracking_events_total' && sample.labels['feature_flag_key'] === 'banner',
    );
    expect(banner).toEqual([]);
  });

  it('counts evaluations with the OpenTelemetry feature-flag attributes', async () => {
    const client = OpenFeature.getClient('tracking');
    await client.getBooleanValue('banner', false, { targetingKey: 'someone' });
    const evaluations = (await scrape()).filter(
      (sample) => sample.name === 'feature_flag_evaluations_total' && sample.labels['feature_flag_key'] === 'banner',
    );
    expect(evaluations).toEqual([
      {
        name: 'feature_flag_evaluations_total',
        labels: {
          feature_flag_key: 'banner',
          feature_flag_provider_name: 'genesis-flags',
          feature_flag_result_reason: 'static',
          feature_flag_result_variant: 'on',
          otel_scope_name: 'genesis-flags',
        },
        value: 1,
      },
    ]);
  });
});

/** The users of the first test who got `on` and an even number: the ones it marked as errors. */
async function countTreatedErrors(client: ReturnType<typeof OpenFeature.getClient>): Promise<number> {
  let errors = 0;
  for (let user = 0; user < 200; user += 2) {
    if (await client.getBooleanValue('checkout', false, { targetingKey: `user-${user}` })) errors += 1;
  }
  return errors;
}
