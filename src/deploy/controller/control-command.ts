import { randomBytes } from 'node:crypto';
import type { ControlAction, ControlRequest } from '../requests/control-request.js';
import { DeployError } from '../deploy-error.js';
import type { DeploymentState, RequestOutcome } from '../state/deployment-state.js';
import { currentUser, type DeploymentContext } from './deployment.js';
import { describeHolder } from '../state/lock-file.js';
import { openStoredDeployment } from './open-deployment.js';
import type { DeploymentStore } from '../persistence/deployment-store.js';

/** The outcome of a control command, and the state after it. */
export interface ControlResult {
  readonly outcome: RequestOutcome;
  readonly state: DeploymentState;
  /** `null` when this process applied it; otherwise the controller that did. */
  readonly appliedBy: string | null;
}

/**
 * Pause, resume, promote or roll back. The request is queued beside the state; if no controller
 * holds the lock this process takes it and applies the request at once, otherwise it waits (up to
 * `waitMs`) for the running controller to apply it at its next poll, taking over if that
 * controller goes away meanwhile.
 */
export async function runControlCommand(
  context: DeploymentContext,
  action: ControlAction,
  reason: string | null,
  waitMs: number,
): Promise<ControlResult> {
  const { store, clock } = context;
  if ((await store.readState()) === undefined) throw new DeployError('state', `No deployment state: ${store.location}`);
  const request: ControlRequest = {
    id: randomBytes(6).toString('hex'),
    action,
    reason,
    by: currentUser(),
    at: new Date(clock.now()).toISOString(),
  };
  await store.enqueueRequest(request);
  const deadline = clock.now() + waitMs;
  // Named now: a controller that pauses or finishes on this request exits right after applying it.
  let controller = await controllerName(store);
  for (;;) {
    const done = await findOutcome(store, request.id);
    if (done !== undefined) return { ...done, appliedBy: controller };
    const applied = await applyIfUnlocked(context, request.id);
    if (applied !== undefined) return { ...applied.result, appliedBy: applied.here ? null : controller };
    controller = await controllerName(store);
    if (clock.now() >= deadline) {
      throw new DeployError(
        'lock',
        `The ${action} request ${request.id} is queued, but ${controller} has not applied it within ${waitMs}ms`,
      );
    }
    await clock.sleep(200);
  }
}

/**
 * Takes the lock when no live controller holds it and applies the queued requests: the request's
 * outcome, and whether this process applied it (`here`), or `undefined` while a controller holds the lock.
 */
async function applyIfUnlocked(
  context: DeploymentContext,
  id: string,
): Promise<{ readonly result: Omit<ControlResult, 'appliedBy'>; readonly here: boolean } | undefined> {
  const holder = await context.store.readLockHolder();
  if (holder?.alive === true) return undefined;
  let deployment;
  try {
    deployment = await openStoredDeployment(context, 'deploy control');
  } catch (cause) {
    if (cause instanceof DeployError && cause.kind === 'lock') return undefined;
    throw cause;
  }
  try {
    // The controller may have applied it, and exited, between the caller's last look and this lock.
    const earlier = findIn(deployment.state, id);
    if (earlier !== undefined) return { result: earlier, here: false };
    await deployment.drainRequests();
    const result = findIn(deployment.state, id);
    return result === undefined ? undefined : { result, here: true };
  } finally {
    await deployment.close();
  }
}

async function findOutcome(store: DeploymentStore, id: string): Promise<Omit<ControlResult, 'appliedBy'> | undefined> {
  const state = await store.readState();
  return state === undefined ? undefined : findIn(state, id);
}

function findIn(state: DeploymentState, id: string): Omit<ControlResult, 'appliedBy'> | undefined {
  const outcome = state.requests.find((candidate) => candidate.id === id);
  return outcome === undefined ? undefined : { outcome, state };
}

async function controllerName(store: DeploymentStore): Promise<string> {
  const holder = await store.readLockHolder();
  return holder === null ? 'no controller' : describeHolder(holder.holder);
}
