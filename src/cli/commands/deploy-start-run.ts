import { resolve } from 'node:path';
import { systemClock } from '../../deploy/clock.js';
import { DeployError } from '../../deploy/deploy-error.js';
import type { Deployment, RunOutcome } from '../../deploy/deployment.js';
import { openPlannedDeployment } from '../../deploy/open-deployment.js';
import { deploymentContext } from './deploy-context.js';
import { exitCodeFor, reportError } from './deploy-exit.js';
import { DEFAULT_CONFIG_FILE, toPlanOptions, type CommonOptions, type RawPlanOptions } from './deploy-options.js';
import { DeployReporter, outputMode } from './deploy-reporter.js';

/** What `deploy start` and `deploy reconcile` are given. */
export type StartOptions = CommonOptions & RawPlanOptions;

/**
 * Runs `deploy start` or `deploy reconcile` and returns the exit code. SIGINT and SIGTERM are
 * caught from the outset, so a stop at any moment finishes the step under way, keeps the state
 * resumable and exits 4.
 */
export async function runDeploy(options: StartOptions, mode: 'start' | 'reconcile'): Promise<number> {
  const reporter = new DeployReporter(outputMode(options.json), systemClock.now, { planFirst: true });
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    if (mode === 'start' && options.flag === undefined)
      throw new DeployError('usage', 'deploy start needs --flag <key>');
    const context = deploymentContext(options.state, reporter);
    const { deployment, how } = await openPlannedDeployment(context, `deploy ${mode}`, {
      options: toPlanOptions(options),
      acceptPlanChange: options.acceptPlanChange === true,
      restart: options.restart === true,
      defaultConfigFile: resolve(DEFAULT_CONFIG_FILE),
      statePath: context.paths.state,
    });
    try {
      if (mode === 'reconcile' && how === 'resume') reporter.skipPlan();
      else reporter.plan(deployment.state, how);
      const outcome =
        mode === 'start' ? await runInForeground(deployment, reporter, abort.signal) : await reconcileOnce(deployment);
      const code = exitCodeFor(outcome);
      reporter.result(outcome, deployment.state, code);
      return code;
    } finally {
      await deployment.close();
    }
  } catch (error) {
    reporter.stopProgress();
    return reportError(error);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
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
