import type { DeploymentState } from '../state/deployment-state.js';
import { awaitingDelivery } from '../state/stage-delivery.js';

/**
 * When the next health check is due (epoch ms). With a health gate: one check interval after the
 * last check, or when the stage's hold time (the bake, at the last stage) ends if that comes first. Without one, only the end
 * of the hold matters. A paused or finished deployment has no next check, nor has a stage still
 * waiting for the fleet to have it (its clock has not started).
 */
export function nextCheckAtMs(state: DeploymentState): number {
  if (state.status !== 'running' || awaitingDelivery(state)) return Infinity;
  const { plan } = state;
  const entered = Date.parse(state.stageEnteredAt);
  const lastCheck = state.lastCheckAt === null ? entered : Math.max(entered, Date.parse(state.lastCheckAt));
  const baking = state.stageIndex === plan.steps.length - 1;
  const stageDue = entered + (baking ? (plan.analysis?.bakeMs ?? 0) : plan.stepDurationMs);
  const periodic = plan.metrics === null ? Infinity : lastCheck + plan.checkIntervalMs;
  return stageDue > lastCheck ? Math.min(periodic, stageDue) : periodic === Infinity ? lastCheck : periodic;
}
