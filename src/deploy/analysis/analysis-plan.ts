/** How the gate judges a stage: the exposed users against the rest, or all traffic alone. */
export type AnalysisMode = 'cohort' | 'global';

export const ANALYSIS_MODES: readonly AnalysisMode[] = ['cohort', 'global'];

/** The cohort analysis settings of a plan. */
export interface AnalysisPlan {
  /** `cohort` also falls back to the global gate for a check that finds no per-variant series. */
  readonly mode: AnalysisMode;
  /** The sequential test's type-I error per stage and metric: the chance of rolling back a healthy stage. */
  readonly alpha: number;
  /** A sample-ratio-mismatch test below this p-value pauses the rollout. */
  readonly sampleRatioAlpha: number;
  /** How long the last stage is held, with passing checks, before the rollout completes. */
  readonly bakeMs: number;
  /**
   * `null`: the per-variant series are the provider's OpenTelemetry instruments. A label name: the
   * app's own request counter and duration histogram carry the variant in this label.
   */
  readonly variantLabel: string | null;
}

/** The variant a Genesis flag serves to exposed users; everyone else is the control cohort. */
export const TREATMENT_VARIANT = 'on';

/**
 * The regression size the sequential test is tuned for, relative to the pooled rate (1 = the rate
 * doubles), and the absolute floor that keeps it meaningful when almost nothing fails.
 */
export const SEQUENTIAL_TUNING = { relativeEffect: 1, minimumEffect: 0.002 } as const;
