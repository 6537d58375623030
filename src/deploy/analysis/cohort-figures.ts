/** One cohort's figures as a check reports them. */
export interface CohortSummary {
  readonly requests: number;
  readonly errors: number;
  readonly errorRate: number | null;
  /** The error rate's 95% Wilson interval. */
  readonly errorRateInterval: { readonly low: number; readonly high: number } | null;
  readonly p95Ms: number | null;
}

/** The per-cohort figures of a check, kept with its verdict. */
export interface CohortFigures {
  readonly treatment: CohortSummary;
  readonly control: CohortSummary;
  /** `stage`: this stage's control users; `earlier stages`: the bake at 100% compares with the stages before. */
  readonly controlFrom: 'stage' | 'earlier stages';
  readonly expectedShare: number;
  readonly observedShare: number | null;
  /** Always-valid p-values (running minimum over the stage's looks); `null` before enough data. */
  readonly errorPValue: number | null;
  readonly latencyPValue: number | null;
  readonly sampleRatioPValue: number | null;
}
