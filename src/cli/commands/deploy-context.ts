import { resolve } from 'node:path';
import { systemClock } from '../../deploy/clock.js';
import type { DeploymentContext, DeploymentEvents } from '../../deploy/controller/deployment.js';
import { createMetricsSource } from '../../deploy/metrics/create-metrics-source.js';
import { deploymentPaths } from '../../deploy/state/state-store.js';

/** The real-world context of a deploy command: the system clock, real metrics, files beside `statePath`. */
export function deploymentContext(statePath: string, events: DeploymentEvents): DeploymentContext {
  return {
    paths: deploymentPaths(resolve(statePath)),
    clock: systemClock,
    events,
    createSource: (metrics) => createMetricsSource(metrics),
  };
}
