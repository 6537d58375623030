import type { RolloutFieldValues } from '../../loading/rollout-layer.js';
import type { CohortFigures } from '../analysis/cohort-figures.js';
import type { CohortLedger } from '../analysis/cohort-ledger.js';
import type { VerdictKind } from '../analysis/verdict-kind.js';
import type { HealthGates, DeploymentPlan } from '../plan/deployment-plan.js';

/** Where a deployment is: moving, held for a human, or finished one way or the other. */
export type DeploymentStatus = 'running' | 'paused' | 'completed' | 'rolled_back';

/** What a check measured over its window. */
export interface Measurement {
  readonly requests: number;
  /** `null` when a custom error-rate query gives the rate without counts. */
  readonly errors: number | null;
  readonly errorRate: number | null;
  readonly p95Ms: number | null;
}

/** One health check: its verdict, why, and the numbers behind it. */
export interface Verdict {
  readonly kind: VerdictKind;
  readonly at: string;
  readonly windowStart: string;
  readonly reasons: readonly string[];
  /** The error rate is above the immediate-rollback level. */
  readonly critical: boolean;
  readonly measurement: Measurement | null;
  /** Which source and instances gave the numbers. */
  readonly source: string;
  /** The cohort analysis of the stage so far (treatment against control), when per-variant data exists. */
  readonly cohorts?: CohortFigures;
  /** The treatment/control split is not the stage's: attribution is broken, so the rollout pauses. */
  readonly sampleRatioMismatch?: boolean;
}

/** A transition's kind, as written to the journal. */
export type TransitionEvent =
  'start' | 'advance' | 'complete' | 'hold' | 'pause' | 'resume' | 'promote' | 'rollback' | 'plan-change';

/** Status, stage and exposure at one moment. */
export interface StagePosition {
  readonly status: DeploymentStatus;
  readonly stage: number;
  readonly percentage: number;
}

/** One journal line: a transition and everything that justified it. */
export interface JournalEntry {
  readonly seq: number;
  readonly at: string;
  readonly deployment: string;
  readonly flag: string;
  readonly event: TransitionEvent;
  readonly from: StagePosition | null;
  readonly to: StagePosition;
  readonly reason: string;
  /** `controller`, or `user@host` for a command typed by a person. */
  readonly by: string;
  readonly verdict: Verdict | null;
  readonly thresholds: HealthGates | null;
  /** Flags whose fields this transition rewrote in the flag file. */
  readonly flagsChanged: readonly string[];
}

/** What became of a pause/resume/promote/rollback request. */
export interface RequestOutcome {
  readonly id: string;
  readonly applied: boolean;
  readonly message: string;
}

/**
 * With a store, a stage's clock starts only once every live replica has sent the stage's revision to
 * all its streams. This records that wait for the stage it belongs to; a file deployment has none.
 */
export interface StageDelivery {
  /** The `stageEnteredAt` of the stage waited for: a stage entered since makes this one moot. */
  readonly stageEnteredAt: string;
  /** When the stage was last written; the wait's timeout counts from here. */
  readonly writtenAt: string;
  /** When the fleet had it (and the stage's clock started); `null` while waiting. */
  readonly deliveredAt: string | null;
}

/** The state file: everything needed to resume after a crash, rewritten atomically on every change. */
export interface DeploymentState {
  readonly version: 1;
  /** `<flag>@<start time>`: ties journal lines to this deployment. */
  readonly id: string;
  readonly plan: DeploymentPlan;
  readonly planHash: string;
  readonly status: DeploymentStatus;
  readonly stageIndex: number;
  readonly percentage: number;
  readonly startedAt: string;
  /**
   * When the stage's clock started: the stage write with files; with a store, the moment every live
   * replica had sent the stage's revision to all its streams (see `delivery`).
   */
  readonly stageEnteredAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
  readonly lastCheckAt: string | null;
  readonly consecutiveFailures: number;
  readonly consecutiveInconclusive: number;
  /** The latest verdicts, oldest first. */
  readonly verdicts: readonly Verdict[];
  /** Why the deployment is paused or was rolled back. */
  readonly reason: string | null;
  /**
   * Whether the flag file has been brought in line with this state. The state is written first
   * and the flag file second, so a crash in between leaves `false` and the next run re-applies.
   */
  readonly applied: boolean;
  /** Sequence number of the last transition; the journal is caught up to it on every open. */
  readonly seq: number;
  readonly lastTransition: JournalEntry | null;
  readonly requests: readonly RequestOutcome[];
  /** The `scrape:` source's counters at the previous check, so deltas survive a restart. */
  readonly metricsBaseline: unknown;
  /**
   * The people's rollout fields of the flag that the rollout layer is written over; `null` until
   * the next write takes them (at the start, on resume, on rollback). A flag file that no longer has
   * them was edited by a person: their edit is served and the rollout stops.
   */
  readonly flagBase: RolloutFieldValues | null;
  /** The start found the flag off in the people's file; applying the start turns it on there, once. */
  readonly enableInFile: boolean;
  /** The cohort analysis's counts and running p-values; absent until a check finds per-variant data. */
  readonly cohortLedger?: CohortLedger;
  /** With a store: the fleet's delivery of the stage last written; absent with files. */
  readonly delivery?: StageDelivery;
}

/** How many verdicts and request outcomes the state keeps. */
export const STATE_HISTORY_LIMIT = 10;

export function positionOf(state: DeploymentState): StagePosition {
  return { status: state.status, stage: state.stageIndex, percentage: state.percentage };
}

export function isFinished(state: DeploymentState): boolean {
  return state.status === 'completed' || state.status === 'rolled_back';
}

/** A status as people read it: `rolled_back` → `rolled back`. */
export function describeStatus(status: DeploymentStatus | 'interrupted'): string {
  return status.replace('_', ' ');
}
