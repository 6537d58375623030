/*
 * The orchestrator service: `node examples/dist/orchestrator/main.js`. Settings come from the
 * environment (see orchestrator-settings.ts); the provider from bootstrap-provider.ts.
 */
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { createFlagProvider } from './bootstrap-provider.js';
import { installOpenTelemetryMetrics } from './otel-metrics.js';
import { startOrchestratorServer } from './orchestrator-server.js';
import { readOrchestratorSettings } from './orchestrator-settings.js';

const log = (line: string): void => {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
};

const settings = readOrchestratorSettings(process.env);
if (!settings.ok) {
  process.stderr.write(`error: ${settings.error}\n`);
  process.exit(1);
}
const { provider: kind, host, port, phase4ErrorRate } = settings.value;

// Before the provider: it records evaluations and tracked requests through the OpenTelemetry API.
const telemetry = installOpenTelemetryMetrics();
const flags = OpenFeature.getClient();
flags.addHandler(ProviderEvents.ConfigurationChanged, (details) => {
  log(`flags changed: ${details?.flagsChanged?.join(', ') || '(not named by the provider)'}`);
});
flags.addHandler(ProviderEvents.Stale, (details) =>
  log(`flags stale: ${details?.message ?? 'provider lost its source'}`),
);
flags.addHandler(ProviderEvents.Error, (details) => log(`flags error: ${details?.message ?? 'provider error'}`));

try {
  await OpenFeature.setProviderAndWait(createFlagProvider(settings.value, (message) => log(`warning: ${message}`)));
} catch (error) {
  process.stderr.write(
    `error: the ${kind} provider did not become ready: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  await OpenFeature.close();
  process.exit(1);
}

const server = await startOrchestratorServer({
  flags,
  host,
  port,
  phase4ErrorRate,
  log,
  moreMetrics: () => telemetry.exposition(),
});
log(`orchestrator listening on ${server.url} (provider: ${kind}, ${flags.metadata.providerMetadata.name})`);

/**
 * SIGTERM/SIGINT: answer the requests in flight, close the provider, exit 0. A second signal during
 * the drain is ignored rather than left to Node's default, which would kill the process mid-drain.
 */
let stopping = false;
const shutdown = async (signal: string): Promise<void> => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: draining requests in flight`);
  await server.close();
  await OpenFeature.close();
  await telemetry.shutdown();
  log('stopped');
  // Everything of ours is closed, but a provider may keep a timer after its close: the official flagd
  // provider goes on retrying a sync server that went away before it. Exit rather than linger.
  process.exit(0);
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => void shutdown(signal));
}
