import type { DeploymentState, StageDelivery } from './deployment-state.js';

/** Whether the running stage is still waiting for the fleet (no check or advance meanwhile). */
export function awaitingDelivery(state: DeploymentState): boolean {
  const { delivery } = state;
  return (
    state.status === 'running' &&
    delivery !== undefined &&
    delivery.deliveredAt === null &&
    delivery.stageEnteredAt === state.stageEnteredAt
  );
}

/** When the stage's wait for the fleet began: its write (a state from before deliveries: the stage's entry). */
export function waitStartedAtMs(state: DeploymentState): number {
  return Date.parse(state.delivery?.writtenAt ?? state.stageEnteredAt);
}

/**
 * The wait after the stage of `state` was written at `nowMs`: a new one for a stage not yet delivered
 * (a stage just entered, a resume, a push rewritten over while waiting: the timeout starts again); none
 * for a stage already delivered (its clock runs on) or a deployment that is not running.
 */
export function deliveryAfterWrite(state: DeploymentState, nowMs: number): StageDelivery | undefined {
  const { delivery } = state;
  if (state.status !== 'running') return delivery;
  if (delivery?.stageEnteredAt === state.stageEnteredAt && delivery.deliveredAt !== null) return delivery;
  return { stageEnteredAt: state.stageEnteredAt, writtenAt: new Date(nowMs).toISOString(), deliveredAt: null };
}

/** The stage's clock starts now: `stageEnteredAt` moves to the delivery, which the wait records. */
export function markDelivered(state: DeploymentState, nowMs: number): DeploymentState {
  const at = new Date(nowMs).toISOString();
  if (state.delivery === undefined) return state;
  return { ...state, stageEnteredAt: at, delivery: { ...state.delivery, stageEnteredAt: at, deliveredAt: at } };
}
