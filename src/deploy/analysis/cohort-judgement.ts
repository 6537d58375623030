import { formatPercent } from '../format-percent.js';
import type { VerdictKind } from './verdict-kind.js';
import { histogramQuantile } from '../metrics/histogram-quantile.js';
import { SEQUENTIAL_TUNING, type AnalysisPlan } from './analysis-plan.js';
import { countSlowerThan, type CohortCounts } from '../metrics/cohort-counts.js';
import type { CohortFigures, CohortSummary } from './cohort-figures.js';
import type { CohortLedger } from './cohort-ledger.js';
import { testSampleRatio } from './sample-ratio.js';
import { sequentialLook } from './sequential-test.js';
import { wilsonInterval } from './wilson-interval.js';

export interface CohortJudgement {
  readonly kind: VerdictKind;
  readonly reasons: readonly string[];
  /** The treatment is significantly worse: roll back now. */
  readonly regression: boolean;
  /** The split is not what the stage serves: attribution is broken, pause for a human. */
  readonly sampleRatioMismatch: boolean;
  readonly figures: CohortFigures;
  readonly ledger: CohortLedger;
}

const INTERVAL_Z = 1.959963984540054;

/**
 * Judges the stage so far: sample-ratio first (a broken split makes every comparison meaningless),
 * then the minimum sample per cohort, then the sequential tests of error rate and — where both
 * cohorts have histograms — the share of requests slower than control's p95.
 */
export function judgeCohorts(
  ledger: CohortLedger,
  percentage: number,
  analysis: AnalysisPlan,
  minRequests: number,
): CohortJudgement {
  const bake = percentage >= 100;
  const treatment = ledger.stage.treatment;
  const control = bake ? ledger.earlierControl : ledger.stage.control;
  const ratio = bake ? null : testSampleRatio(treatment.requests, control.requests, percentage / 100);
  const base = {
    treatment: summarize(treatment),
    control: summarize(control),
    controlFrom: bake ? ('earlier stages' as const) : ('stage' as const),
    expectedShare: percentage / 100,
    observedShare: ratio?.observedShare ?? null,
    sampleRatioPValue: ratio?.pValue ?? null,
  };
  const pending = { ...base, errorPValue: null, latencyPValue: null };
  const counts = `treatment ${treatment.requests} vs control ${control.requests} requests`;
  if (
    ratio !== null &&
    treatment.requests + control.requests >= minRequests &&
    ratio.pValue < analysis.sampleRatioAlpha
  ) {
    const reason =
      `sample-ratio mismatch: treatment got ${formatPercent(ratio.observedShare)} of requests, ` +
      `the stage serves ${formatPercent(ratio.expectedShare)} (p=${formatP(ratio.pValue)}); outcomes are not attributed to the right variant`;
    return {
      kind: 'inconclusive',
      reasons: [reason],
      regression: false,
      sampleRatioMismatch: true,
      figures: pending,
      ledger,
    };
  }
  const short = [treatment, control].some((cohort) => cohort.requests < minRequests);
  if (short) {
    const reason = `${counts}: fewer than ${minRequests} in a cohort${bake ? ' (control: the stages before)' : ''}`;
    return {
      kind: 'inconclusive',
      reasons: [reason],
      regression: false,
      sampleRatioMismatch: false,
      figures: pending,
      ledger,
    };
  }
  const settings = { alpha: analysis.alpha, ...SEQUENTIAL_TUNING };
  const errorLook = sequentialLook(
    { events: treatment.errors, trials: treatment.requests },
    { events: control.errors, trials: control.requests },
    settings,
  );
  const errorPValue = errorLook.difference > 0 ? Math.min(ledger.errorPValue, errorLook.pValue) : ledger.errorPValue;
  const latency = judgeLatency(ledger, treatment, control, settings);
  const next: CohortLedger = {
    ...ledger,
    errorPValue,
    latencyPValue: latency.pValue ?? ledger.latencyPValue,
    latencyBound: latency.bound,
  };
  const figures = { ...base, errorPValue, latencyPValue: latency.pValue };
  const errorRegression = errorPValue <= analysis.alpha;
  const latencyRegression = latency.pValue !== null && latency.pValue <= analysis.alpha;
  const against = bake ? 'control of the stages before' : 'control';
  const errorText = `treatment error rate ${rateText(treatment)} vs ${against} ${rateText(control)}, p=${formatP(errorPValue)}`;
  const latencyText = latency.text;
  if (errorRegression || latencyRegression) {
    const reasons = [
      ...(errorRegression ? [`${errorText} ≤ α ${analysis.alpha}`] : []),
      ...(latencyRegression && latencyText !== null ? [`${latencyText} ≤ α ${analysis.alpha}`] : []),
    ];
    return { kind: 'fail', reasons, regression: true, sampleRatioMismatch: false, figures, ledger: next };
  }
  const reasons = [
    `${errorText} > α ${analysis.alpha}`,
    ...(latencyText === null ? [] : [`${latencyText} > α ${analysis.alpha}`]),
  ];
  return { kind: 'pass', reasons, regression: false, sampleRatioMismatch: false, figures, ledger: next };
}

/** The latency comparison: share of requests slower than control's p95 bucket bound, in each cohort. */
function judgeLatency(
  ledger: CohortLedger,
  treatment: CohortCounts,
  control: CohortCounts,
  settings: Parameters<typeof sequentialLook>[2],
): { pValue: number | null; bound: string | null; text: string | null } {
  const bound = ledger.latencyBound ?? p95Bound(control);
  const slowTreatment = bound === null ? null : countSlowerThan(treatment, bound);
  const slowControl = bound === null ? null : countSlowerThan(control, bound);
  if (bound === null || slowTreatment === null || slowControl === null)
    return { pValue: null, bound: ledger.latencyBound, text: null };
  const look = sequentialLook(
    { events: slowTreatment, trials: treatment.requests },
    { events: slowControl, trials: control.requests },
    settings,
  );
  const pValue = look.difference > 0 ? Math.min(ledger.latencyPValue, look.pValue) : ledger.latencyPValue;
  const text =
    `slower than ${Number(bound) * 1000}ms: treatment ${formatPercent(slowTreatment / treatment.requests)} ` +
    `vs control ${formatPercent(slowControl / control.requests)}, p=${formatP(pValue)}`;
  return { pValue, bound, text };
}

/** The smallest finite bucket bound holding at least 95% of a cohort's requests. */
function p95Bound(counts: CohortCounts): string | null {
  const total = counts.buckets['+Inf'];
  if (total === undefined || total === 0) return null;
  const finite = Object.entries(counts.buckets)
    .filter(([le]) => le !== '+Inf')
    .sort(([a], [b]) => Number(a) - Number(b));
  return finite.find(([, count]) => count >= 0.95 * total)?.[0] ?? null;
}

function summarize(counts: CohortCounts): CohortSummary {
  const buckets = Object.entries(counts.buckets).map(([le, count]) => ({
    upperBound: le === '+Inf' ? Infinity : Number(le),
    count,
  }));
  const p95Seconds = buckets.length === 0 ? null : histogramQuantile(0.95, buckets);
  return {
    requests: counts.requests,
    errors: counts.errors,
    errorRate: counts.requests > 0 ? counts.errors / counts.requests : null,
    errorRateInterval: counts.requests > 0 ? wilsonInterval(counts.errors, counts.requests, INTERVAL_Z) : null,
    p95Ms: p95Seconds === null ? null : p95Seconds * 1000,
  };
}

function rateText(counts: CohortCounts): string {
  if (counts.requests === 0) return 'n/a';
  const interval = wilsonInterval(counts.errors, counts.requests, INTERVAL_Z);
  return `${formatPercent(counts.errors / counts.requests)} [${formatPercent(interval.low)}–${formatPercent(interval.high)}]`;
}

/** p-values shown to three significant digits, tiny ones in exponent form. */
export function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : String(Number(p.toPrecision(3)));
}
