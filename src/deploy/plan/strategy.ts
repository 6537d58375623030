import { RAMP_PRESETS } from '../../genesis/rollout-ramp.js';

/** The rollout strategies: two presets, an emergency switch, and steps of your own. */
export type Strategy = 'safe' | 'fast' | 'instant' | 'custom';

export const STRATEGIES: readonly Strategy[] = ['safe', 'fast', 'instant', 'custom'];

const DAY_MS = 86_400_000;

/**
 * The preset schedules. `safe` and `fast` are the Genesis ramp presets of the same names, one step
 * a day (`safe` reaches 100% on the seventh day, `fast` on the fourth); `instant` goes straight to
 * 100% for emergencies and needs no waiting.
 */
export const STRATEGY_PRESETS = {
  safe: { steps: RAMP_PRESETS.safe, stepDurationMs: DAY_MS },
  fast: { steps: RAMP_PRESETS.fast, stepDurationMs: DAY_MS },
  instant: { steps: [100], stepDurationMs: 0 },
} as const satisfies Record<Exclude<Strategy, 'custom'>, { steps: readonly number[]; stepDurationMs: number }>;

/** The default time a custom step is held. */
export const CUSTOM_STEP_DURATION_MS = DAY_MS;
