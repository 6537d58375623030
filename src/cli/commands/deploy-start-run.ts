import { resolve } from 'node:path';
import { systemClock } from '../../deploy/clock.js';
import { describeController, type ControllerEntry } from '../../deploy/state/controller-registry.js';
import { DeployError } from '../../deploy/deploy-error.js';
import type { Deployment, DeploymentContext, RunOutcome } from '../../deploy/controller/deployment.js';
import { openPlannedDeployment, openStoredDeployment } from '../../deploy/controller/open-deployment.js';
import { spawnBackgroundController } from './controller-run.js';
import { deploymentContext } from './deploy-context.js';
import { followDeployment } from './deploy-follow.js';
import { EXIT_CODES, exitCodeFor, reportError } from './deploy-exit.js';
import {
  DEFAULT_CONFIG_FILE,
  openStoreOf,
  toPlanOptions,
  type CommonOptions,
  type RawPlanOptions,
} from './deploy-options.js';
import { DeployReporter, outputMode } from './deploy-reporter.js';
import type { OpenedDeploymentStore } from './deploy-store.js';

/** What `deploy start` and `deploy reconcile` are given. */
export type StartOptions = CommonOptions & RawPlanOptions & { readonly detach?: true };

/**
 * Runs `deploy start` or `deploy reconcile` and returns the exit code. `start` hands a running
 * rollout to a controller when one serves the flag file (or, with `--detach`, to one it starts in
 * the background) and follows it; with none it drives the rollout itself, in the foreground. SIGINT
 * and SIGTERM are caught from the outset: driving, they finish the step under way, keep the state
 * resumable and exit 4; following, they stop the following only.
 */
export async function runDeploy(options: StartOptions, mode: 'start' | 'reconcile'): Promise<number> {
  const reporter = new DeployReporter(outputMode(options.json), systemClock.now, { planFirst: true });
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let opened: OpenedDeploymentStore | undefined;
  try {
    if (mode === 'start' && options.flag === undefined)
      throw new DeployError('usage', 'deploy start needs --flag <key>');
    opened = await openStoreOf(options);
    const context = deploymentContext(opened.store, reporter);
    const driving = mode === 'start' ? await drivingController(context) : undefined;
    const stored = driving === undefined ? undefined : await context.store.readState();
    if (driving !== undefined && stored !== undefined) {
      reporter.plan(stored, 'resume');
      reporter.note(`a controller already drives this rollout: ${describeController(driving)}`);
      return options.detach === true ? EXIT_CODES.completed : await follow(context, reporter, abort.signal);
    }
    const { deployment, how } = await openPlannedDeployment(context, `deploy ${mode}`, {
      options: toPlanOptions(options),
      acceptPlanChange: options.acceptPlanChange === true,
      restart: options.restart === true,
      force: options.force === true,
      // In a store the flag set is what is rolled out; its name stands where a flag file would.
      defaultConfigFile:
        options.store === undefined ? resolve(options.config ?? DEFAULT_CONFIG_FILE) : context.store.location,
      statePath: context.store.location,
    });
    let handedOver = false;
    const handedAtSeq = deployment.state.seq;
    try {
      if (mode === 'reconcile' && how === 'resume') reporter.skipPlan();
      else reporter.plan(deployment.state, how);
      if (mode === 'reconcile') return finish(reporter, deployment, await reconcileOnce(deployment));
      if (deployment.state.status !== 'running') return finish(reporter, deployment, deployment.state.status);
      handedOver = await handOver(context, deployment, reporter, options.detach === true);
      if (!handedOver) return finish(reporter, deployment, await runInForeground(deployment, reporter, abort.signal));
    } finally {
      await deployment.close();
    }
    if (options.detach === true) return EXIT_CODES.completed;
    return await follow(context, reporter, abort.signal, handedAtSeq);
  } catch (error) {
    reporter.stopProgress();
    return reportError(error);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await opened?.close();
  }
}

function finish(reporter: DeployReporter, deployment: Deployment, outcome: RunOutcome | 'running'): number {
  const code = exitCodeFor(outcome);
  reporter.result(outcome, deployment.state, code);
  return code;
}

/**
 * Leaves the rollout to a running controller of this flag file, or with `--detach` to one started
 * in the background; says which. False when there is none and none is wanted: drive it here.
 */
async function handOver(
  context: DeploymentContext,
  deployment: Deployment,
  reporter: DeployReporter,
  detach: boolean,
): Promise<boolean> {
  const [controller] = await context.store.listLiveControllers(context.clock.now());
  if (controller !== undefined) {
    reporter.note(`handed to the running controller, ${describeController(controller)}`);
    return true;
  }
  if (!detach) return false;
  const started = spawnBackgroundController(deployment.state.plan.configFile, context.store);
  reporter.note(`handed to a controller started in the background, pid ${started.pid} (log: ${started.log})`);
  return true;
}

/** The registered controller that holds the deployment's lock now, if one does. */
async function drivingController(context: DeploymentContext): Promise<ControllerEntry | undefined> {
  const lock = await context.store.readLockHolder();
  if (lock?.alive !== true) return undefined;
  const controllers = await context.store.listLiveControllers(context.clock.now());
  return controllers.find((entry) => entry.pid === lock.holder.pid && entry.host === lock.holder.host);
}

/** Follows a handed-over rollout to its end; drives it here if its controller goes away. */
async function follow(
  context: DeploymentContext,
  reporter: DeployReporter,
  signal: AbortSignal,
  fromSeq?: number,
): Promise<number> {
  const followed = await followDeployment(context, reporter, signal, fromSeq);
  if (followed.outcome === 'detached') {
    reporter.note('stopped following; the rollout goes on (deploy status --watch shows it)');
    return EXIT_CODES.completed;
  }
  if ('state' in followed) {
    const code = exitCodeFor(followed.outcome);
    reporter.result(followed.outcome, followed.state, code);
    return code;
  }
  reporter.warning('no controller drives the rollout any more: driving it here');
  const deployment = await openStoredDeployment(context, 'deploy start');
  try {
    return finish(reporter, deployment, await runInForeground(deployment, reporter, signal));
  } finally {
    await deployment.close();
  }
}

async function reconcileOnce(deployment: Deployment): Promise<RunOutcome | 'running'> {
  await deployment.tick();
  return deployment.state.status;
}

/** Runs until done or until `signal` aborts between steps, leaving the state ready to resume. */
async function runInForeground(
  deployment: Deployment,
  reporter: DeployReporter,
  signal: AbortSignal,
): Promise<RunOutcome> {
  const { status } = deployment.state;
  if (status !== 'running') return status;
  reporter.startProgress(() => deployment.state);
  try {
    return await deployment.run(signal);
  } finally {
    reporter.stopProgress();
  }
}
