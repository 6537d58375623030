import { fileURLToPath } from 'node:url';
import { credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/**
 * One load generator of `npm run bench:serve`: a grpc-js client keeping `concurrency` ResolveBoolean
 * calls in flight for `durationMs` after `warmupMs`, then printing the count of answered calls and
 * their latency percentiles as JSON. Every answer is checked (value true), so a server that fails
 * calls cannot look fast. Arguments: port durationMs warmupMs concurrency flagKey.
 */
const [port, durationMs, warmupMs, concurrency, flagKey] = process.argv.slice(2);
const PROTO_ROOT = fileURLToPath(new URL('../../proto/', import.meta.url));
const definition = loadSync('flagd/evaluation/v2/evaluation.proto', { includeDirs: [PROTO_ROOT], defaults: false });
const Service = loadPackageDefinition(definition).flagd.evaluation.v2.Service;
const client = new Service(`127.0.0.1:${port}`, credentials.createInsecure());

const request = {
  flagKey,
  context: { fields: { targetingKey: { stringValue: 'user-42' }, tier: { stringValue: 'gold' } } },
};
const latenciesNs = [];
let answered = 0;
/** Every answered call, warm-up included: the server's CPU time is measured over all of them. */
let answeredInAll = 0;
let failed = 0;
let measuring = false;
let stopped = false;

function call() {
  const started = process.hrtime.bigint();
  client.ResolveBoolean(request, (error, response) => {
    if (error !== null || response.value !== true) failed++;
    else answeredInAll++;
    if (error === null && response.value === true && measuring) {
      answered++;
      latenciesNs.push(Number(process.hrtime.bigint() - started));
    }
    if (!stopped) call();
  });
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

client.waitForReady(Date.now() + 5_000, (error) => {
  if (error) throw error;
  for (let i = 0; i < Number(concurrency); i++) call();
  setTimeout(() => {
    measuring = true;
    const started = process.hrtime.bigint();
    setTimeout(() => {
      measuring = false;
      stopped = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const sorted = latenciesNs.sort((a, b) => a - b);
      process.stdout.write(
        JSON.stringify({
          requestsPerSecond: answered / seconds,
          answeredInAll,
          failed,
          p50Ms: percentile(sorted, 0.5) / 1e6,
          p99Ms: percentile(sorted, 0.99) / 1e6,
        }),
      );
      client.close();
      setTimeout(() => process.exit(0), 100).unref();
    }, Number(durationMs));
  }, Number(warmupMs));
});
