import type { DeploymentState } from '../state/deployment-state.js';
import type { DeploymentPlan } from '../plan/deployment-plan.js';
import { hashPlan } from '../plan/plan-hash.js';
import { describePlanChange } from './resolve-deployment.js';
import { record, type Transition } from '../state/transitions.js';

/**
 * Continues a deployment under a changed plan (the user passed `--accept-plan-change`). It goes on
 * from the highest new step not above the current exposure, so a change never raises exposure by
 * itself; the stage timer restarts there.
 */
export function changePlan(state: DeploymentState, plan: DeploymentPlan, by: string, nowMs: number): Transition {
  const index = Math.max(
    0,
    plan.steps.findLastIndex((step) => step <= state.percentage),
  );
  const at = new Date(nowMs).toISOString();
  const last = index === plan.steps.length - 1;
  const changed: DeploymentState = {
    ...state,
    plan,
    planHash: hashPlan(plan),
    status: last ? 'completed' : state.status,
    stageIndex: index,
    percentage: plan.steps[index] ?? 0,
    stageEnteredAt: at,
    updatedAt: at,
    finishedAt: last ? at : null,
    consecutiveFailures: 0,
    consecutiveInconclusive: 0,
    applied: false,
  };
  const reason = `plan change accepted by ${by}: ${describePlanChange(state.plan, plan)}`;
  return record(state, changed, { event: 'plan-change', reason, by, nowMs });
}
