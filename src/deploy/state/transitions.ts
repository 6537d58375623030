import {
  positionOf,
  STATE_HISTORY_LIMIT,
  type DeploymentState,
  type DeploymentStatus,
  type JournalEntry,
  type TransitionEvent,
  type Verdict,
} from './deployment-state.js';
import { formatDuration } from '../plan/duration.js';
import type { DeploymentPlan } from '../plan/deployment-plan.js';

/** A new state and, when something worth recording happened, its journal line. */
export interface Transition {
  readonly state: DeploymentState;
  readonly entry: JournalEntry | null;
}

/** Who caused a transition: the controller itself, or a person's command. */
const CONTROLLER = 'controller';

/** A new deployment at stage 0 (completed at once when the plan has a single stage). */
export function startDeployment(plan: DeploymentPlan, planHash: string, nowMs: number, by: string): Transition {
  const at = new Date(nowMs).toISOString();
  const last = plan.steps.length === 1;
  const state: DeploymentState = {
    version: 1,
    id: `${plan.flag}@${at}`,
    plan,
    planHash,
    status: last ? 'completed' : 'running',
    stageIndex: 0,
    percentage: plan.steps[0] ?? 0,
    startedAt: at,
    stageEnteredAt: at,
    updatedAt: at,
    finishedAt: last ? at : null,
    lastCheckAt: null,
    consecutiveFailures: 0,
    consecutiveInconclusive: 0,
    verdicts: [],
    reason: null,
    applied: false,
    seq: 0,
    lastTransition: null,
    requests: [],
    metricsBaseline: null,
    flagBase: null,
    enableInFile: true,
  };
  const reason = `${plan.strategy} rollout of ${plan.steps.join(' → ')}%`;
  return record(state, state, { event: 'start', reason, by, nowMs, fromStart: true });
}

/**
 * Folds one health check into the state. Pass: the stage advances once it has been held for the
 * step duration. Fail: rolls back at once above the immediate level, or after `failureLimit`
 * fails in a row; otherwise holds. Inconclusive: holds, and pauses after `inconclusiveLimit` in a
 * row. An inconclusive check neither counts as a fail nor breaks a run of fails.
 */
export function recordVerdict(state: DeploymentState, verdict: Verdict, nowMs: number): Transition {
  const { gates } = state.plan;
  const checked: DeploymentState = {
    ...state,
    lastCheckAt: verdict.at,
    verdicts: [...state.verdicts, verdict].slice(-STATE_HISTORY_LIMIT),
    updatedAt: new Date(nowMs).toISOString(),
  };
  const summary = verdict.reasons.join('; ');
  if (verdict.kind === 'fail') {
    const fails = state.consecutiveFailures + 1;
    const failed = { ...checked, consecutiveFailures: fails };
    if (verdict.critical) return rollBack(failed, `immediate rollback: ${summary}`, CONTROLLER, nowMs, verdict);
    if (fails >= gates.failureLimit) {
      return rollBack(failed, `${fails} failed checks in a row: ${summary}`, CONTROLLER, nowMs, verdict);
    }
    return record(state, failed, {
      event: 'hold',
      reason: `failed check ${fails}/${gates.failureLimit}: ${summary}`,
      nowMs,
      verdict,
    });
  }
  if (verdict.sampleRatioMismatch === true) {
    const reason = `paused, attribution broken: ${summary}`;
    return record(state, { ...checked, status: 'paused', reason }, { event: 'pause', reason, nowMs, verdict });
  }
  if (verdict.kind === 'inconclusive') {
    const count = state.consecutiveInconclusive + 1;
    const held = { ...checked, consecutiveInconclusive: count };
    if (count >= gates.inconclusiveLimit) {
      const reason = `${count} inconclusive checks in a row: ${summary}`;
      return record(state, { ...held, status: 'paused', reason }, { event: 'pause', reason, nowMs, verdict });
    }
    const first = state.consecutiveInconclusive === 0;
    const reason = `inconclusive, holding at ${state.percentage}%: ${summary}`;
    return first ? record(state, held, { event: 'hold', reason, nowMs, verdict }) : { state: held, entry: null };
  }
  const passed = { ...checked, consecutiveFailures: 0, consecutiveInconclusive: 0 };
  const heldMs = nowMs - Date.parse(state.stageEnteredAt);
  const baking = state.stageIndex === state.plan.steps.length - 1;
  if (heldMs < (baking ? bakeMsOf(state.plan) : state.plan.stepDurationMs)) return { state: passed, entry: null };
  if (baking)
    return complete(
      passed,
      `baked ${formatDuration(heldMs)} at ${state.percentage}% with passing checks`,
      nowMs,
      verdict,
    );
  const reason = `stage ${state.stageIndex} held ${formatDuration(heldMs)} with passing checks`;
  return moveToStage(passed, state.stageIndex + 1, { event: 'advance', reason, by: CONTROLLER, nowMs, verdict });
}

/** Moves to stage `index` (the last stage completes the rollout) and marks the flag file as due. */
export function moveToStage(
  state: DeploymentState,
  index: number,
  cause: { event: TransitionEvent; reason: string; by: string; nowMs: number; verdict?: Verdict },
): Transition {
  const { steps } = state.plan;
  const target = Math.min(index, steps.length - 1);
  const at = new Date(cause.nowMs).toISOString();
  // An advance into the last stage bakes there, judged like any stage; a person's promote completes.
  const bakes = target === steps.length - 1 && cause.event === 'advance' && bakeMsOf(state.plan) > 0;
  const last = target === steps.length - 1 && !bakes;
  const status: DeploymentStatus = last ? 'completed' : 'running';
  const moved: DeploymentState = {
    ...state,
    status,
    stageIndex: target,
    percentage: steps[target] ?? state.percentage,
    stageEnteredAt: at,
    updatedAt: at,
    finishedAt: last ? at : null,
    consecutiveFailures: 0,
    consecutiveInconclusive: 0,
    reason: null,
    applied: false,
  };
  const event = last && cause.event === 'advance' ? 'complete' : cause.event;
  return record(state, moved, { ...cause, event });
}

/** The bake of the last stage; none for plans written before it existed. */
function bakeMsOf(plan: DeploymentPlan): number {
  return plan.analysis?.bakeMs ?? 0;
}

/** The bake at the last stage passed: the rollout is complete, its stage unchanged. */
function complete(state: DeploymentState, reason: string, nowMs: number, verdict: Verdict): Transition {
  const at = new Date(nowMs).toISOString();
  const done: DeploymentState = { ...state, status: 'completed', finishedAt: at, updatedAt: at, reason: null };
  return record(state, done, { event: 'complete', reason, by: CONTROLLER, nowMs, verdict });
}

/** Rolls back: the flag off at 0% and the companion flags off, with the reason kept. */
export function rollBack(
  state: DeploymentState,
  reason: string,
  by: string,
  nowMs: number,
  verdict?: Verdict,
): Transition {
  const at = new Date(nowMs).toISOString();
  const rolledBack: DeploymentState = {
    ...state,
    status: 'rolled_back',
    percentage: 0,
    // Taken again when the rollback is written, so that a person's later edit of the flag wins over it.
    flagBase: null,
    updatedAt: at,
    finishedAt: at,
    reason,
    applied: false,
  };
  return record(state, rolledBack, { event: 'rollback', reason, by, nowMs, ...(verdict ? { verdict } : {}) });
}

/** Attaches the journal line for `before → after` and advances the sequence number. */
export function record(
  before: DeploymentState,
  after: DeploymentState,
  cause: { event: TransitionEvent; reason: string; by?: string; nowMs: number; verdict?: Verdict; fromStart?: boolean },
): Transition {
  const seq = before.seq + 1;
  const entry: JournalEntry = {
    seq,
    at: new Date(cause.nowMs).toISOString(),
    deployment: after.id,
    flag: after.plan.flag,
    event: cause.event,
    from: cause.fromStart === true ? null : positionOf(before),
    to: positionOf(after),
    reason: cause.reason,
    by: cause.by ?? CONTROLLER,
    verdict: cause.verdict ?? null,
    thresholds: cause.verdict === undefined ? null : after.plan.gates,
    flagsChanged: after.applied ? [] : flagsWritten(after),
  };
  return { state: { ...after, seq, lastTransition: entry }, entry };
}

function flagsWritten(state: DeploymentState): string[] {
  const { flag, rollbackFlags } = state.plan;
  return state.status === 'rolled_back' ? [flag, ...rollbackFlags] : [flag];
}
