import { DeployError } from '../../deploy/deploy-error.js';
import type { DeploymentState, DeploymentStatus } from '../../deploy/state/deployment-state.js';
import type { DeploymentContext } from '../../deploy/controller/deployment.js';
import type { DeploymentStore } from '../../deploy/persistence/deployment-store.js';
import { awaitingDelivery, waitStartedAtMs } from '../../deploy/state/stage-delivery.js';
import type { DeployReporter } from './deploy-reporter.js';

/** How following ended: the rollout stopped running, the follower was stopped, or nobody drives it. */
export type FollowOutcome =
  | { readonly outcome: Exclude<DeploymentStatus, 'running'>; readonly state: DeploymentState }
  | { readonly outcome: 'detached' | 'orphaned' };

/** Looks this many times in a row for a controller before calling the rollout orphaned: one may be starting. */
const ORPHANED_AFTER_LOOKS = 20;

/**
 * Prints what the controller driving the deployment does — its transitions and checks, as a
 * foreground run would — until the rollout stops running, `signal` aborts (Ctrl-C stops following,
 * not the rollout), or no controller is left to drive it. Transitions after `fromSeq` (the hand-over)
 * are printed, also those made before following began.
 */
export async function followDeployment(
  context: DeploymentContext,
  reporter: DeployReporter,
  signal: AbortSignal,
  fromSeq?: number,
): Promise<FollowOutcome> {
  const { store, clock } = context;
  let state = await mustRead(store);
  let seq = fromSeq ?? state.seq;
  let lastCheckAt = state.lastCheckAt;
  let lastDeliveredAt = state.delivery?.deliveredAt ?? null;
  let unattended = 0;
  reporter.startProgress(() => state);
  try {
    for (;;) {
      state = await mustRead(store);
      const entries = await store.readJournal();
      const missed = entries.filter((candidate) => candidate.deployment === state.id && candidate.seq > seq);
      // The journal is written after the state: its last line may not be there yet, but the state has it.
      const last = state.lastTransition;
      if (last !== null && last.seq > seq && !missed.some((entry) => entry.seq === last.seq)) missed.push(last);
      for (const entry of missed) reporter.transition(entry);
      seq = Math.max(seq, state.seq);
      for (const verdict of state.verdicts.filter((candidate) => lastCheckAt === null || candidate.at > lastCheckAt))
        reporter.check(verdict);
      lastCheckAt = state.lastCheckAt;
      lastDeliveredAt = await reportFleet(context, reporter, state, lastDeliveredAt);
      if (state.status !== 'running') return { outcome: state.status, state };
      if (signal.aborted) return { outcome: 'detached' };
      unattended = (await isDriven(context)) ? 0 : unattended + 1;
      if (unattended >= ORPHANED_AFTER_LOOKS) return { outcome: 'orphaned' };
      await clock.sleep(context.pollMs ?? 250, signal);
    }
  } finally {
    reporter.stopProgress();
  }
}

/**
 * What the controller's stage wait shows a foreground run, read from the store: the fleet while the
 * stage waits for it, and the delivery that starts the stage's clock. Returns the delivery time seen.
 */
async function reportFleet(
  context: DeploymentContext,
  reporter: DeployReporter,
  state: DeploymentState,
  lastDeliveredAt: string | null,
): Promise<string | null> {
  const { fleet } = context.store;
  const deliveredAt = state.delivery?.deliveredAt ?? null;
  if (fleet === undefined) return deliveredAt;
  if (deliveredAt !== null && deliveredAt !== lastDeliveredAt) reporter.delivered(await fleet.readDelivery(), state);
  else if (awaitingDelivery(state)) {
    const delivery = await fleet.readDelivery();
    const waitedMs = context.clock.now() - waitStartedAtMs(state);
    // The timeout is the driving controller's setting, not this process's.
    if (delivery.lagging.length > 0) reporter.waiting(delivery, state, waitedMs);
  }
  return deliveredAt;
}

async function isDriven(context: DeploymentContext): Promise<boolean> {
  const holder = await context.store.readLockHolder();
  if (holder?.alive === true) return true;
  return (await context.store.listLiveControllers(context.clock.now())).length > 0;
}

async function mustRead(store: DeploymentStore): Promise<DeploymentState> {
  const state = await store.readState();
  if (state === undefined) throw new DeployError('state', `No deployment state: ${store.location}`);
  return state;
}
