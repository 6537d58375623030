import type { ControllerEntry } from '../state/controller-registry.js';
import type { DeploymentState } from '../state/deployment-state.js';
import type { LockHolder } from '../state/lock-file.js';
import type { DeploymentStore } from '../persistence/deployment-store.js';

/** Who drives a deployment, as `deploy status` reports it. */
export interface DeploymentDriver {
  /** The process holding the deployment lock, when it is alive. */
  readonly holder: LockHolder | null;
  /** A dead process's lock, left for the next controller to take over. */
  readonly staleHolder: LockHolder | null;
  /** Controllers serving the flag file (one of them takes a running rollout whose lock is free). */
  readonly controllers: readonly ControllerEntry[];
  /** The holder's last heartbeat when it is a controller, else the state's last change. */
  readonly lastActedAt: string | null;
  /** Set when the rollout is running and nothing will move it. */
  readonly warning: string | null;
}

export async function readDeploymentDriver(
  store: DeploymentStore,
  state: DeploymentState,
  nowMs: number,
): Promise<DeploymentDriver> {
  const lock = await store.readLockHolder();
  const controllers = await store.listLiveControllers(nowMs);
  const holder = lock?.alive === true ? lock.holder : null;
  const entry = holder === null ? undefined : controllers.find((candidate) => candidate.pid === holder.pid);
  const undriven = state.status === 'running' && holder === null && controllers.length === 0;
  return {
    holder,
    staleHolder: lock?.alive === false ? lock.holder : null,
    controllers,
    lastActedAt: entry?.lastActedAt ?? (holder === null ? null : state.updatedAt),
    warning: undriven
      ? `the rollout is running but no controller drives it: run \`genesis-flags controller ${state.plan.configFile}\` (or serve it), or deploy start again`
      : null,
  };
}
