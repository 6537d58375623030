import type { DeploymentPlan } from './deployment-plan.js';

/** One stage of a plan at its earliest time. */
export interface ScheduledStage {
  readonly index: number;
  readonly percentage: number;
  /** Earliest entry time (epoch ms): holds for failed or inconclusive checks only move it later. */
  readonly atMs: number;
}

/** A known point of the schedule: stage `stage` was (or will be) entered at `atMs`. */
export interface ScheduleAnchor {
  readonly stage: number;
  readonly atMs: number;
}

/** What the plan promises: its stages, its earliest end, and how fast a breach is acted on. */
export interface PlanSummary {
  readonly stages: readonly ScheduledStage[];
  readonly earliestCompletionMs: number;
  /** Longest time from a breach above the immediate-rollback level to the rollback; `null` without gates. */
  readonly immediateRollbackWithinMs: number | null;
  /** Longest time from a sustained breach to the rollback (`failureLimit` checks); `null` without gates. */
  readonly sustainedRollbackWithinMs: number | null;
}

/**
 * Stage `i` is entered `stepDuration` after stage `i − 1`, counted from the anchor: the start
 * (stage 0) for a new deployment, the current stage's entry time for a resumed one. The last
 * stage completes the rollout.
 */
export function scheduleStages(plan: DeploymentPlan, anchor: ScheduleAnchor): ScheduledStage[] {
  return plan.steps.map((percentage, index) => ({
    index,
    percentage,
    atMs: anchor.atMs + (index - anchor.stage) * plan.stepDurationMs,
  }));
}

/**
 * The plan as a pure function of (plan, anchor): stage times, earliest completion, and detection
 * bounds. A check judges the window just before it, so a breach that starts right after a check
 * is seen by the next one: one check interval for an error rate over the immediate level,
 * `failureLimit` intervals for a breach of the plain limit.
 */
export function summarizePlan(plan: DeploymentPlan, anchor: ScheduleAnchor): PlanSummary {
  const stages = scheduleStages(plan, anchor);
  const gated = plan.metrics !== null;
  return {
    stages,
    earliestCompletionMs: stages[stages.length - 1]?.atMs ?? anchor.atMs,
    immediateRollbackWithinMs: gated ? plan.checkIntervalMs : null,
    sustainedRollbackWithinMs: gated ? plan.checkIntervalMs * plan.gates.failureLimit : null,
  };
}
