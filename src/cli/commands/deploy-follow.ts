import { listLiveControllers } from '../../deploy/state/controller-registry.js';
import { DeployError } from '../../deploy/deploy-error.js';
import type { DeploymentState, DeploymentStatus } from '../../deploy/state/deployment-state.js';
import type { DeploymentContext } from '../../deploy/controller/deployment.js';
import { readJournal } from '../../deploy/state/journal.js';
import { readLockHolder } from '../../deploy/state/lock-file.js';
import { readState } from '../../deploy/state/state-store.js';
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
  const { paths, clock } = context;
  let state = await mustRead(paths.state);
  let seq = fromSeq ?? state.seq;
  let lastCheckAt = state.lastCheckAt;
  let unattended = 0;
  reporter.startProgress(() => state);
  try {
    for (;;) {
      state = await mustRead(paths.state);
      const entries = await readJournal(paths.journal);
      const missed = entries.filter((candidate) => candidate.deployment === state.id && candidate.seq > seq);
      // The journal is written after the state: its last line may not be there yet, but the state has it.
      const last = state.lastTransition;
      if (last !== null && last.seq > seq && !missed.some((entry) => entry.seq === last.seq)) missed.push(last);
      for (const entry of missed) reporter.transition(entry);
      seq = Math.max(seq, state.seq);
      for (const verdict of state.verdicts.filter((candidate) => lastCheckAt === null || candidate.at > lastCheckAt))
        reporter.check(verdict);
      lastCheckAt = state.lastCheckAt;
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

async function isDriven(context: DeploymentContext): Promise<boolean> {
  const holder = await readLockHolder(context.paths.lock);
  if (holder?.alive === true) return true;
  return (await listLiveControllers(context.paths.controllers, context.clock.now())).length > 0;
}

async function mustRead(path: string): Promise<DeploymentState> {
  const state = await readState(path);
  if (state === undefined) throw new DeployError('state', `No deployment state: ${path}`);
  return state;
}
