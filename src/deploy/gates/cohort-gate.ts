import { addCohortCounts, type CohortPair } from '../metrics/cohort-counts.js';
import { judgeCohorts } from '../analysis/cohort-judgement.js';
import { addToLedger, type CohortLedger } from '../analysis/cohort-ledger.js';
import { TREATMENT_VARIANT } from '../analysis/analysis-plan.js';
import type { DeploymentPlan } from '../plan/deployment-plan.js';
import type { VerdictKind } from '../analysis/verdict-kind.js';
import type { DeploymentState, Verdict } from '../state/deployment-state.js';
import { judgeHealth } from './health-gate.js';
import { trackingSeries, type CohortSeries } from '../metrics/cohort-series.js';
import { histogramQuantile } from '../metrics/histogram-quantile.js';
import type { MetricsReading } from '../metrics/metrics-reading.js';

/** A check's verdict and the cohort ledger to keep (unchanged when the check had no per-variant data). */
export interface CheckJudgement {
  readonly verdict: Verdict;
  readonly ledger: CohortLedger | undefined;
}

/**
 * The per-variant series a plan's checks read: the app's own request metrics split by the variant
 * label when one is configured, else the provider's tracking instruments. `null` for `--analysis
 * global` and for plans written before cohort analysis.
 */
export function cohortSeriesOf(plan: DeploymentPlan): CohortSeries | null {
  const { analysis, metrics } = plan;
  if (analysis === undefined || analysis.mode !== 'cohort' || metrics === null) return null;
  if (analysis.variantLabel === null) return trackingSeries(plan.flag, TREATMENT_VARIANT);
  return {
    requestsMetric: metrics.requestsMetric,
    errorsMetric: null,
    statusLabel: metrics.statusLabel,
    errorStatusPattern: metrics.errorStatusPattern,
    durationMetric: metrics.durationMetric,
    variantLabel: analysis.variantLabel,
    treatmentVariant: TREATMENT_VARIANT,
    match: {},
  };
}

/**
 * Judges one check. With per-variant data at a stage that exposes anyone, the cohort analysis runs
 * and the absolute guards (error rate, p95, the immediate-rollback level) judge the same requests
 * summed; the stricter verdict wins, and a significant regression of the treatment rolls back at
 * once. At stage 0 the guards judge the per-variant sum alone. Without per-variant series (or with
 * `--analysis global`) the global gate judges the configured request metrics, as before.
 */
export function judgeCheck(reading: MetricsReading, state: DeploymentState, nowMs: number): CheckJudgement {
  const { plan } = state;
  const pair = reading.kind === 'measured' ? reading.cohorts : undefined;
  if (reading.kind !== 'measured' || pair === undefined || pair === null || plan.analysis === undefined) {
    const verdict = judgeHealth(reading, plan.gates, nowMs);
    const note = pair === null ? ['no per-variant series found: judged all traffic'] : [];
    return { verdict: { ...verdict, reasons: [...verdict.reasons, ...note] }, ledger: state.cohortLedger };
  }
  const global = judgeHealth(sumReading(reading, pair), plan.gates, nowMs);
  // Stage 0 exposes nobody: there is no treatment to compare, only the absolute guards.
  if (state.percentage === 0) return { verdict: global, ledger: state.cohortLedger };
  const ledger = addToLedger(state.cohortLedger ?? null, state.stageIndex, pair);
  const cohort = judgeCohorts(ledger, state.percentage, plan.analysis, plan.gates.minRequests);
  const kind = stricter(global.kind, cohort.kind);
  const reasons = [...(global.kind === kind ? global.reasons : []), ...(cohort.kind === kind ? cohort.reasons : [])];
  const verdict: Verdict = {
    ...global,
    kind,
    reasons,
    critical: global.critical || cohort.regression,
    cohorts: cohort.figures,
    ...(cohort.sampleRatioMismatch ? { sampleRatioMismatch: true } : {}),
  };
  return { verdict, ledger: cohort.ledger };
}

/** The global figures of the window, from the per-variant counts: every tracked request of both cohorts. */
function sumReading(reading: Extract<MetricsReading, { kind: 'measured' }>, pair: CohortPair): MetricsReading {
  const all = addCohortCounts(pair.treatment, pair.control);
  const buckets = Object.entries(all.buckets).map(([le, count]) => ({
    upperBound: le === '+Inf' ? Infinity : Number(le),
    count,
  }));
  const p95Seconds = buckets.length === 0 ? null : histogramQuantile(0.95, buckets);
  return {
    ...reading,
    requests: all.requests,
    errors: all.errors,
    errorRate: all.requests > 0 ? all.errors / all.requests : null,
    p95Ms: p95Seconds === null ? null : p95Seconds * 1000,
  };
}

const SEVERITY: Record<VerdictKind, number> = { pass: 0, inconclusive: 1, fail: 2 };

function stricter(a: VerdictKind, b: VerdictKind): VerdictKind {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}
