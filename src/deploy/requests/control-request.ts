import type { Result } from '../../errors/result.js';
import { describeStatus, type DeploymentState } from '../state/deployment-state.js';
import { moveToStage, record, rollBack, type Transition } from '../state/transitions.js';

/** What a person can ask of a deployment. */
export type ControlAction = 'pause' | 'resume' | 'promote' | 'promote-full' | 'rollback';

/** A person's request, applied by whichever process holds the lock. */
export interface ControlRequest {
  readonly id: string;
  readonly action: ControlAction;
  readonly reason: string | null;
  /** `user@host`. */
  readonly by: string;
  readonly at: string;
}

/**
 * Applies a request to the state, or says why it does not apply. Pausing a paused deployment,
 * resuming a running one and rolling back a rolled-back one change nothing and succeed; a rollback also undoes a completed one.
 */
export function applyControlRequest(
  state: DeploymentState,
  request: ControlRequest,
  nowMs: number,
): Result<Transition> {
  const by = request.by;
  const note = request.reason === null ? '' : `: ${request.reason}`;
  switch (request.action) {
    case 'rollback':
      if (state.status === 'rolled_back')
        return { ok: true, value: { state: { ...state, applied: false }, entry: null } };
      return { ok: true, value: rollBack(state, `manual rollback by ${by}${note}`, by, nowMs) };
    case 'pause': {
      if (state.status === 'paused') return { ok: true, value: { state, entry: null } };
      if (state.status !== 'running') return refuse(state, 'pause');
      const reason = `paused by ${by}${note}`;
      return {
        ok: true,
        value: record(state, { ...state, status: 'paused', reason }, { event: 'pause', reason, by, nowMs }),
      };
    }
    case 'resume': {
      if (state.status === 'running') return { ok: true, value: { state, entry: null } };
      if (state.status !== 'paused') return refuse(state, 'resume');
      // The stage is written again over the flag as it is now: resuming accepts a person's edit.
      const resumed: DeploymentState = {
        ...state,
        status: 'running',
        reason: null,
        consecutiveInconclusive: 0,
        flagBase: null,
        applied: false,
      };
      return {
        ok: true,
        value: record(state, resumed, { event: 'resume', reason: `resumed by ${by}${note}`, by, nowMs }),
      };
    }
    case 'promote':
    case 'promote-full': {
      if (state.status !== 'running' && state.status !== 'paused') return refuse(state, 'promote');
      const full = request.action === 'promote-full';
      const target = full ? state.plan.steps.length - 1 : state.stageIndex + 1;
      const reason = `${full ? 'promoted to 100% of the plan' : 'promoted one stage'} by ${by}${note}`;
      return { ok: true, value: moveToStage(state, target, { event: 'promote', reason, by, nowMs }) };
    }
  }
}

function refuse(state: DeploymentState, action: string): Result<Transition> {
  return { ok: false, error: `Cannot ${action} deployment ${state.id}: it is ${describeStatus(state.status)}` };
}
