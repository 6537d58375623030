import { closeSync, openSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { systemClock } from '../../deploy/clock.js';
import type { DeploymentEvents } from '../../deploy/controller/deployment.js';
import { RolloutController } from '../../deploy/controller/rollout-controller.js';
import type { DeploymentStore } from '../../deploy/persistence/deployment-store.js';
import { fileDeploymentStore } from '../../deploy/persistence/file-deployment-store.js';
import { defaultStatePath } from '../../deploy/state/state-store.js';
import { deploymentContext } from './deploy-context.js';
import { renderEntry, renderVerdict } from './deploy-render.js';
import { openDeploymentStore, type StoreChoice } from './deploy-store.js';

/** What runs the controller: the flag files, and optionally one state file for a single file; or a store's flag set. */
export interface ControllerRunOptions extends StoreChoice {
  readonly files: readonly string[];
  readonly state?: string;
  readonly untilIdle?: boolean;
  readonly command: string;
  readonly log: (line: string) => void;
}

/**
 * Runs the rollout controller over the default state file of each flag file (or `state`, given one
 * file) until `signal` aborts; each transition, check and problem is one log line.
 */
export async function runRolloutController(options: ControllerRunOptions, signal: AbortSignal): Promise<void> {
  const statePaths =
    options.state !== undefined && options.files.length <= 1
      ? [resolve(options.state)]
      : options.files.map((file) => defaultStatePath(resolve(file)));
  const events = (statePath: string): DeploymentEvents => ({
    transition: (entry) => options.log(`deploy ${statePath}: ${renderEntry(entry)}`),
    check: (verdict, state) => options.log(`deploy ${state.plan.flag}: check ${renderVerdict(verdict)}`),
    warning: (message) => options.log(`deploy ${statePath}: warning: ${message}`),
    delivered: (delivery, state) =>
      options.log(
        `deploy ${statePath}: stage ${state.stageIndex} (${state.percentage}%), revision ${delivery.revision}, reached every stream of ${delivery.replicas.length} replicas; its clock starts`,
      ),
  });
  const opened =
    options.store === undefined
      ? statePaths.map((statePath) => ({ store: fileDeploymentStore(statePath), close: async () => {} }))
      : [await openDeploymentStore(options, () => '', true)];
  const controller = new RolloutController({
    contexts: opened.map(({ store }) => deploymentContext(store, events(store.location))),
    command: options.command,
    ...(options.untilIdle === true ? { untilIdle: true } : {}),
    log: (message) => options.log(`deploy: ${message}`),
  });
  try {
    await controller.run(signal);
  } finally {
    await Promise.all(opened.map((entry) => entry.close()));
  }
}

/**
 * Starts a controller for one rollout in the background, detached from this terminal, its output
 * appended to the store's controller log; it exits once the rollout is no longer running. Returns its
 * process id and the log's path.
 */
export function spawnBackgroundController(configFile: string, store: DeploymentStore): { pid: number; log: string } {
  const log = store.controllerLog;
  const output = openSync(log, 'a');
  try {
    const script = process.argv[1] ?? '';
    const child = spawn(process.execPath, [script, 'controller', ...store.controllerArgs(configFile), '--until-idle'], {
      detached: true,
      env: { ...process.env, ...store.controllerEnvironment },
      stdio: ['ignore', output, output],
    });
    child.unref();
    return { pid: child.pid ?? 0, log };
  } finally {
    closeSync(output);
  }
}

/** Log lines with their time, as a long-running controller writes them. */
export function timestampedLog(stream: NodeJS.WritableStream): (line: string) => void {
  return (line) => void stream.write(`${new Date(systemClock.now()).toISOString()} ${line}\n`);
}
