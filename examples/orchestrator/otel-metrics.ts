import { metrics } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/** The OpenTelemetry SDK the orchestrator installs, read as Prometheus text. */
export interface OpenTelemetryMetrics {
  /** Everything recorded so far, in the Prometheus text format (what the exporter's own endpoint serves). */
  exposition(): Promise<string>;
  shutdown(): Promise<void>;
}

/**
 * Installs an OpenTelemetry SDK as the global meter provider, read through the Prometheus exporter.
 * The provider records its evaluations and `client.track` events through the OpenTelemetry API, which
 * is a no-op until this runs, so call it before the first evaluation. The exporter serves no port of
 * its own: the orchestrator appends its text to `/metrics`, so one scrape target per instance carries
 * both the request metrics and the per-variant series the cohort gate reads.
 */
export function installOpenTelemetryMetrics(): OpenTelemetryMetrics {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  metrics.setGlobalMeterProvider(provider);
  const serializer = new PrometheusSerializer();
  return {
    exposition: async () => serializer.serialize((await exporter.collect()).resourceMetrics),
    shutdown: () => provider.shutdown(),
  };
}
