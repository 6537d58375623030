import { runControlCommand } from '../../deploy/controller/control-command.js';
import type { ControlAction } from '../../deploy/requests/control-request.js';
import { describeStatus } from '../../deploy/state/deployment-state.js';
import type { DeploymentContext } from '../../deploy/controller/deployment.js';
import { spawnBackgroundController } from './controller-run.js';
import { deploymentContext } from './deploy-context.js';
import { EXIT_CODES, reportError } from './deploy-exit.js';
import { openStoreOf, type CommonOptions } from './deploy-options.js';
import type { OpenedDeploymentStore } from './deploy-store.js';

/** What a control command is given. */
export interface ControlOptions extends CommonOptions {
  readonly reason?: string;
  readonly full?: true;
  readonly wait: number;
}

/**
 * Runs a control command and returns the exit code: 0 applied (or already so), 2 refused or not
 * applied in time. A request that leaves the rollout running with no controller to drive it (a
 * resume, say, with the foreground `deploy start` long gone) starts one in the background.
 */
export async function runControl(action: ControlAction, options: ControlOptions): Promise<number> {
  // Only warnings (a stale lock taken over): the outcome below says what happened.
  const events = { warning: (message: string) => process.stderr.write(`warning: ${message}\n`) };
  let opened: OpenedDeploymentStore | undefined;
  try {
    opened = await openStoreOf(options);
    const context = deploymentContext(opened.store, events);
    const result = await runControlCommand(context, action, options.reason ?? null, options.wait);
    const { outcome, state, appliedBy } = result;
    const driver =
      outcome.applied && state.status === 'running' ? await ensureDriven(context, state.plan.configFile) : null;
    if (options.json === true)
      process.stdout.write(`${JSON.stringify({ action, ...result, startedController: driver })}\n`);
    else {
      const via = appliedBy === null ? '' : ` (applied by the running controller, ${appliedBy})`;
      const stream = outcome.applied ? process.stdout : process.stderr;
      stream.write(`${outcome.applied ? '' : 'error: '}${outcome.message}${via}\n`);
      if (outcome.applied)
        process.stdout.write(`${state.plan.flag} is ${describeStatus(state.status)} at ${state.percentage}%\n`);
      if (driver !== null)
        process.stdout.write(
          `driven by a controller started in the background, pid ${driver.pid} (log: ${driver.log})\n`,
        );
    }
    return outcome.applied ? EXIT_CODES.completed : EXIT_CODES.state;
  } catch (error) {
    return reportError(error);
  } finally {
    await opened?.close();
  }
}

/** Starts a background controller when nothing drives the running rollout; `null` when something does. */
async function ensureDriven(
  context: DeploymentContext,
  configFile: string,
): Promise<{ pid: number; log: string } | null> {
  if ((await context.store.readLockHolder())?.alive === true) return null;
  if ((await context.store.listLiveControllers(context.clock.now())).length > 0) return null;
  return spawnBackgroundController(configFile, context.store);
}
