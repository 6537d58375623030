import { systemClock } from '../../deploy/clock.js';
import type { DeploymentContext, DeploymentEvents } from '../../deploy/controller/deployment.js';
import { createMetricsSource } from '../../deploy/metrics/create-metrics-source.js';
import type { DeploymentStore } from '../../deploy/persistence/deployment-store.js';

/** The real-world context of a deploy command: the system clock, real metrics, the given store. */
export function deploymentContext(store: DeploymentStore, events: DeploymentEvents): DeploymentContext {
  return {
    store,
    clock: systemClock,
    events,
    createSource: (metrics) => createMetricsSource(metrics),
  };
}
