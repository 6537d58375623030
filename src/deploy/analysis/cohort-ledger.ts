import { addCohortCounts, EMPTY_COHORT, type CohortCounts, type CohortPair } from './cohort-counts.js';

/**
 * What the cohort analysis has gathered for a deployment, kept in its state so a restarted
 * controller carries on: the current stage's cumulative counts (a sequential test looks at all data
 * since the stage began), the control cohort of the stages before (the yardstick of the bake at
 * 100%, where nobody is left in control), and the running minimum of each always-valid p-value.
 */
export interface CohortLedger {
  readonly stageIndex: number;
  readonly stage: CohortPair;
  readonly earlierControl: CohortCounts;
  readonly errorPValue: number;
  readonly latencyPValue: number;
  /** The bucket bound (seconds, as written) latency is compared at, fixed at the stage's first look. */
  readonly latencyBound: string | null;
}

const EMPTY_PAIR: CohortPair = { treatment: EMPTY_COHORT, control: EMPTY_COHORT };

/** Adds one check window's counts; a new stage starts its counts afresh and banks the old control. */
export function addToLedger(ledger: CohortLedger | null, stageIndex: number, window: CohortPair): CohortLedger {
  const base = ledger === null ? freshLedger(stageIndex, EMPTY_COHORT) : ledger;
  const current =
    base.stageIndex === stageIndex
      ? base
      : freshLedger(stageIndex, addCohortCounts(base.earlierControl, base.stage.control));
  return {
    ...current,
    stage: {
      treatment: addCohortCounts(current.stage.treatment, window.treatment),
      control: addCohortCounts(current.stage.control, window.control),
    },
  };
}

function freshLedger(stageIndex: number, earlierControl: CohortCounts): CohortLedger {
  return {
    stageIndex,
    stage: EMPTY_PAIR,
    earlierControl,
    errorPValue: 1,
    latencyPValue: 1,
    latencyBound: null,
  };
}
