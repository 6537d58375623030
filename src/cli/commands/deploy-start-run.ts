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

/** Runs `deploy start` or `deploy reconcile` and returns the exit code. */
export async function runDeploy(options: StartOptions, mode: 'start' | 'reconcile'): Promise<number> {
  const reporter = new DeployReporter(outputMode(options.json), systemClock.now, { planFirst: true });
  try {
    if (mode === 'start' && options.flag === undefined) throw new DeployError('usage', 'deploy start needs --flag <key>');
    const context = deploymentContext(options.state, reporter);
    const { deployment, how } = await openPlannedDeployment(context, `deploy ${mode}`, {
      options: toPlanOptions(options),
      acceptPlanChange: options.acceptPlanChange === true,
      restart: options.restart === true,
      defaultConfigFile: resolve(DEFAULT_CONFIG_FILE),
      statePath: context.paths.state,
    });
    try {
      reporter.plan(deployment.state, how);
      const outcome = mode === 'start' ? await runInForeground(deployment, reporter) : await reconcileOnce(deployment);
      const code = exitCodeFor(outcome);
      reporter.result(outcome, deployment.state, code);
      return code;
    } finally {
      await deployment.close();
    }
  } catch (error) {
    reporter.stopProgress();
    return reportError(error);
  }
}

async function reconcileOnce(deployment: Deployment): Promise<RunOutcome | 'running'> {
  await deployment.tick();
  return deployment.state.status;
}

/** Runs until done; SIGINT or SIGTERM stops it between steps, leaving the state ready to resume. */
async function runInForeground(deployment: Deployment, reporter: DeployReporter): Promise<RunOutcome> {
  const { status } = deployment.state;
  if (status !== 'running') return status;
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  reporter.startProgress(() => deployment.state);
  try {
    return await deployment.run(abort.signal);
  } finally {
    reporter.stopProgress();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
