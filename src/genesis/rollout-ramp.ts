import type { GenesisFlag, RampPreset } from './genesis-document.js';
import { parseIsoInstant } from './iso-instant.js';

/** Every rollout buckets users into this many slots, so one slot is 0.01 % and weights stay integers. */
export const TOTAL_WEIGHT = 10_000;

/** A preset ramp moves one step, and `plan` shows a linear ramp, per day of this many seconds. */
export const SECONDS_PER_DAY = 86_400;

/** The presets' percentages, one step a day from `start_date`. */
export const RAMP_PRESETS: Readonly<Record<RampPreset, readonly number[]>> = {
  safe: [0, 5, 10, 25, 50, 75, 100],
  fast: [0, 25, 50, 100],
};

/** One step of a resolved ramp: from `atSeconds` on, `weight` of `TOTAL_WEIGHT` slots are on. */
export interface WeightStep {
  readonly atSeconds: number;
  readonly weight: number;
}

/** A progressive rollout in Unix seconds and weights out of `TOTAL_WEIGHT`. */
export type RolloutRamp =
  | {
      readonly kind: 'linear';
      readonly startSeconds: number;
      readonly endSeconds: number;
      readonly fromWeight: number;
      readonly toWeight: number;
    }
  | { readonly kind: 'steps'; readonly steps: readonly WeightStep[] };

/** A percentage (0–100, steps of 0.01) as an integer weight out of `TOTAL_WEIGHT`. */
export function percentageWeight(percentage: number): number {
  return Math.round(percentage * (TOTAL_WEIGHT / 100));
}

/** A weight out of `TOTAL_WEIGHT` as a percentage, e.g. 1428 → 14.28. */
export function weightPercentage(weight: number): number {
  return weight / (TOTAL_WEIGHT / 100);
}

/** A weight out of `TOTAL_WEIGHT` as a percentage to print, e.g. 1428 → "14.28%". */
export function formatWeight(weight: number): string {
  return `${Number(weightPercentage(weight).toFixed(2))}%`;
}

/**
 * The ramp a progressive flag describes, or undefined when its dates or steps are missing or
 * unreadable (`checkGenesisDocument` reports why).
 */
export function resolveRolloutRamp(flag: GenesisFlag): RolloutRamp | undefined {
  const start = flag.start_date === undefined ? undefined : parseIsoInstant(flag.start_date);
  if (typeof flag.steps === 'string') {
    if (start === undefined) return undefined;
    const steps = RAMP_PRESETS[flag.steps].map((percentage, day) => ({
      atSeconds: start + day * SECONDS_PER_DAY,
      weight: percentageWeight(percentage),
    }));
    return { kind: 'steps', steps };
  }
  if (flag.steps !== undefined) {
    const steps: WeightStep[] = [];
    for (const step of flag.steps) {
      const atSeconds = parseIsoInstant(step.at);
      if (atSeconds === undefined) return undefined;
      steps.push({ atSeconds, weight: percentageWeight(step.percentage) });
    }
    return { kind: 'steps', steps };
  }
  const end = flag.end_date === undefined ? undefined : parseIsoInstant(flag.end_date);
  if (start === undefined || end === undefined || end <= start) return undefined;
  return {
    kind: 'linear',
    startSeconds: start,
    endSeconds: end,
    fromWeight: percentageWeight(flag.initial_percentage ?? 0),
    toWeight: percentageWeight(flag.end_percentage ?? 100),
  };
}

/** How many of `TOTAL_WEIGHT` slots are on at an instant: the same number the translated rule computes. */
export function rampWeightAt(ramp: RolloutRamp, nowSeconds: number): number {
  if (ramp.kind === 'steps') {
    return ramp.steps.findLast((step) => nowSeconds >= step.atSeconds)?.weight ?? 0;
  }
  if (nowSeconds < ramp.startSeconds) return 0;
  if (nowSeconds >= ramp.endSeconds) return ramp.toWeight;
  const duration = ramp.endSeconds - ramp.startSeconds;
  return (
    ramp.fromWeight + Math.floor(((nowSeconds - ramp.startSeconds) * (ramp.toWeight - ramp.fromWeight)) / duration)
  );
}
