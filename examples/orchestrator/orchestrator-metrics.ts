import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The request metrics under the names `genesis-flags deploy` reads by default (`--requests-metric`,
 * `--duration-metric`, status label `status`), so a rollout can be gated on these instances with no
 * query options.
 */
export const REQUESTS_METRIC = 'http_requests_total';
export const DURATION_METRIC = 'http_request_duration_seconds';
/**
 * Every evaluation whatever the provider, counted by an OpenFeature hook. Not `feature_flag_evaluations_total`:
 * that is the provider's own OpenTelemetry counter, served on the same `/metrics`.
 */
export const FLAG_EVALUATIONS_METRIC = 'orchestrator_flag_evaluations_total';

/** Fine enough below 100 ms for a p95 gate of a few hundred milliseconds to mean something. */
const DURATION_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One registry per server, so tests can run several servers in one process. */
export interface OrchestratorMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route' | 'status'>;
  readonly flagEvaluations: Counter<'flag' | 'variant' | 'reason'>;
  readonly tasks: Counter<'mode' | 'pipeline'>;
  readonly inFlight: Gauge;
}

export function createOrchestratorMetrics(): OrchestratorMetrics {
  const registry = new Registry();
  const registers = [registry];
  const requestLabels = ['method', 'route', 'status'] as const;
  return {
    registry,
    requests: new Counter({
      name: REQUESTS_METRIC,
      help: 'HTTP requests by route and status',
      labelNames: requestLabels,
      registers,
    }),
    duration: new Histogram({
      name: DURATION_METRIC,
      help: 'HTTP request duration in seconds',
      labelNames: requestLabels,
      buckets: DURATION_BUCKETS_SECONDS,
      registers,
    }),
    flagEvaluations: new Counter({
      name: FLAG_EVALUATIONS_METRIC,
      help: 'Feature flag evaluations by flag, variant and reason',
      labelNames: ['flag', 'variant', 'reason'] as const,
      registers,
    }),
    tasks: new Counter({
      name: 'orchestrator_tasks_total',
      help: 'Tasks routed, by mode (v1/v2) and pipeline',
      labelNames: ['mode', 'pipeline'] as const,
      registers,
    }),
    inFlight: new Gauge({ name: 'orchestrator_in_flight_requests', help: 'Task requests being served', registers }),
  };
}
