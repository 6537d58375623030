import { didYouMean } from '../../errors/did-you-mean.js';
import { DeployError } from '../deploy-error.js';
import type { DeploymentState } from '../state/deployment-state.js';
import { Deployment, currentUser, type DeploymentContext } from './deployment.js';
import type { DeploymentPlan } from '../plan/deployment-plan.js';
import { changePlan } from './plan-change.js';
import { hashPlan } from '../plan/plan-hash.js';
import { resolveDeployment, type Resolution, type ResolveOptions } from './resolve-deployment.js';
import { findRolloutHazard } from '../flags/rollout-guard.js';
import { startDeployment, type Transition } from '../state/transitions.js';

/** An open deployment and how it came about. */
export interface OpenedDeployment {
  readonly deployment: Deployment;
  readonly how: Resolution['kind'];
}

/**
 * Opens the deployment a `start` or `reconcile` command describes: a new one, the stored one
 * resumed (elapsed time counts from the stored stage times), the stored one under an accepted
 * plan change, or a finished one left as it is.
 */
export async function openPlannedDeployment(
  context: DeploymentContext,
  command: string,
  request: ResolveOptions,
): Promise<OpenedDeployment> {
  let how: Resolution['kind'] = 'resume';
  const deployment = await Deployment.open(context, command, async (stored): Promise<Transition | DeploymentState> => {
    const resolution = resolveDeployment(stored, request);
    how = resolution.kind;
    const nowMs = context.clock.now();
    switch (resolution.kind) {
      case 'new':
        await checkFlagFile(context, resolution.plan, request.force === true);
        return startDeployment(resolution.plan, hashPlan(resolution.plan), nowMs, currentUser());
      case 'change':
        await checkFlagFile(context, resolution.plan, true);
        return changePlan(resolution.state, resolution.plan, currentUser(), nowMs);
      case 'resume':
      case 'finished':
        return resolution.state;
    }
  });
  try {
    await deployment.recordBaseline();
  } catch (cause) {
    await deployment.close();
    throw cause;
  }
  return { deployment, how };
}

/** Opens the stored deployment as it is, for the control commands; none stored is a `state` error. */
export async function openStoredDeployment(context: DeploymentContext, command: string): Promise<Deployment> {
  return Deployment.open(context, command, async (stored) => {
    if (stored === undefined) throw new DeployError('state', `No deployment state: ${context.store.location}`);
    return stored;
  });
}

/**
 * The flag and every rollback flag must exist, and the flag must not be one whose rollout is a
 * mistake more often than not (see `findRolloutHazard`) unless `force`.
 */
async function checkFlagFile(context: DeploymentContext, plan: DeploymentPlan, force: boolean): Promise<void> {
  const flags = await context.store.readFlags(plan.configFile);
  const missing = [plan.flag, ...plan.rollbackFlags].filter((key) => flags[key] === undefined);
  if (missing.length > 0) {
    const named = missing.map((key) => `${key}${didYouMean(key, Object.keys(flags))}`);
    throw new DeployError('config', `Flag not found: ${named.join(', ')} in ${plan.configFile}`);
  }
  const hazard = findRolloutHazard(plan.flag, flags);
  if (hazard !== undefined && !force)
    throw new DeployError(
      'usage',
      `Refusing to roll out ${plan.flag}: ${hazard}; pass --force if this is what you mean`,
    );
}
