import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricsPlan } from '../../../../src/deploy/metrics/metrics-plan.js';
import { createScrapeSource } from '../../../../src/deploy/metrics/scrape-source.js';
import { buildPlan } from '../../../../src/deploy/plan/plan.js';

/** Issue 10, item 7: a 300 MB `/metrics` body was read whole and took the controller to 1 GB. */
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** One valid exposition line, repeated: a body of `megabytes` MiB, sent in 1 MiB chunks. */
function sendMegabytes(response: ServerResponse, megabytes: number, declareLength: boolean): void {
  const line = 'http_requests_total{status="200"} 1\n';
  const chunk = line.repeat(Math.floor((1024 * 1024) / line.length)).padEnd(1024 * 1024, ' ');
  if (declareLength) response.setHeader('content-length', String(chunk.length * megabytes));
  let sent = 0;
  const more = (): void => {
    while (sent < megabytes) {
      sent++;
      if (!response.write(chunk)) {
        response.once('drain', more);
        return;
      }
    }
    response.end();
  };
  response.on('error', () => undefined);
  more();
}

async function serveMegabytes(megabytes: number, declareLength: boolean): Promise<string> {
  const server = createServer((_request, response) => sendMegabytes(response, megabytes, declareLength));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

function metricsPlan(url: string): MetricsPlan {
  const built = buildPlan({ flag: 'f', configFile: '/x', metrics: { kind: 'scrape', urls: [url] } });
  if (!built.ok || built.value.metrics === null) throw new Error('no plan');
  return built.value.metrics;
}

describe('the scrape source body limit', () => {
  it.each([
    ['streamed without a length', false],
    ['declared by content-length', true],
  ])('makes the check inconclusive, saying why, for a body over the limit %s', async (_how, declareLength) => {
    const url = await serveMegabytes(3, declareLength);
    const source = createScrapeSource([url], metricsPlan(url), fetch, { maxBodyBytes: 1024 * 1024 });
    const result = await source.read({ nowMs: 10, windowMs: 0, baseline: null });
    expect(result.reading).toMatchObject({
      kind: 'unavailable',
      reason: `cannot scrape ${url}: the body is larger than the limit of 1048576 bytes`,
    });
  });

  it('reads a body under the limit', async () => {
    const url = await serveMegabytes(1, false);
    const source = createScrapeSource([url], metricsPlan(url), fetch, { maxBodyBytes: 2 * 1024 * 1024 });
    const result = await source.read({ nowMs: 10, windowMs: 0, baseline: null });
    expect(result.reading).toMatchObject({
      kind: 'unavailable',
      reason: 'first scrape: counters recorded, measuring from now',
    });
  });

  it('stops at 16 MiB by default', async () => {
    const url = await serveMegabytes(17, false);
    const result = await createScrapeSource([url], metricsPlan(url)).read({ nowMs: 10, windowMs: 0, baseline: null });
    expect(result.reading).toMatchObject({
      kind: 'unavailable',
      reason: `cannot scrape ${url}: the body is larger than the limit of 16777216 bytes`,
    });
  });
});
