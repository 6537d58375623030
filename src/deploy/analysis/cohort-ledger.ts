import { addCohortCounts, EMPTY_COHORT, type CohortCounts, type CohortPair } from '../metrics/cohort-counts.js';

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

/**
 * Adds one check window's counts. The first window of a stage is set aside: it straddles the stage
 * change, and its requests were served partly before the apps reloaded the flag, at the old
 * percentage — counting them would skew the split (a false sample-ratio mismatch) and mix the
 * stages. A new stage starts its counts afresh and banks the old stage's control.
 */
export function addToLedger(ledger: CohortLedger | null, stageIndex: number, window: CohortPair): CohortLedger {
  if (ledger === null) return freshLedger(stageIndex, EMPTY_COHORT);
  if (ledger.stageIndex !== stageIndex)
    return freshLedger(stageIndex, addCohortCounts(ledger.earlierControl, ledger.stage.control));
  const current = ledger;
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
