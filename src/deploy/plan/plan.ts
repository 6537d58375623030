import type { Result } from '../../errors/result.js';
import type { AnalysisPlan } from '../analysis/analysis-plan.js';
import type { DeploymentPlan, HealthGates, PlanSpec } from './deployment-plan.js';
import type { MetricsPlan } from '../metrics/metrics-plan.js';
import { checkGates, checkMetrics, checkSteps } from './plan-checks.js';
import { CUSTOM_STEP_DURATION_MS, STRATEGY_PRESETS, type Strategy } from './strategy.js';

/** The defaults of every optional plan setting, in one place. */
export const PLAN_DEFAULTS = {
  strategy: 'safe',
  checkIntervalMs: 60_000,
  maxErrorRate: 0.01,
  maxP95Ms: 500,
  minRequests: 100,
  failureLimit: 2,
  inconclusiveLimit: 10,
  immediateRollbackFactor: 5,
  requestsMetric: 'http_requests_total',
  durationMetric: 'http_request_duration_seconds',
  statusLabel: 'status',
  errorStatusPattern: '5..',
  analysis: 'cohort',
  alpha: 0.001,
  sampleRatioAlpha: 0.001,
} as const;

/** Turns a spec into a complete, checked plan, or names the first setting that is wrong. */
export function buildPlan(spec: PlanSpec): Result<DeploymentPlan> {
  const strategy = spec.strategy ?? (spec.steps === undefined ? PLAN_DEFAULTS.strategy : 'custom');
  const schedule = resolveSchedule(strategy, spec);
  if (!schedule.ok) return schedule;
  const checkIntervalMs = spec.checkIntervalMs ?? PLAN_DEFAULTS.checkIntervalMs;
  const gates: HealthGates = {
    maxErrorRate: spec.maxErrorRate ?? PLAN_DEFAULTS.maxErrorRate,
    maxP95Ms: spec.maxP95Ms === undefined ? PLAN_DEFAULTS.maxP95Ms : spec.maxP95Ms,
    minRequests: spec.minRequests ?? PLAN_DEFAULTS.minRequests,
    failureLimit: spec.failureLimit ?? PLAN_DEFAULTS.failureLimit,
    inconclusiveLimit: spec.inconclusiveLimit ?? PLAN_DEFAULTS.inconclusiveLimit,
    immediateRollbackFactor: PLAN_DEFAULTS.immediateRollbackFactor,
  };
  const metrics = resolveMetrics(spec, checkIntervalMs);
  const analysis = resolveAnalysis(spec, metrics === null ? 0 : schedule.value.stepDurationMs);
  const problem =
    (checkIntervalMs > 0 ? undefined : 'check interval must be greater than zero') ??
    checkGates(gates) ??
    (metrics === null ? undefined : checkMetrics(metrics)) ??
    checkRollbackFlags(spec) ??
    checkAnalysis(analysis);
  if (problem !== undefined) return { ok: false, error: problem };
  const plan: DeploymentPlan = {
    flag: spec.flag,
    configFile: spec.configFile,
    strategy,
    steps: schedule.value.steps,
    stepDurationMs: schedule.value.stepDurationMs,
    checkIntervalMs,
    metrics,
    gates,
    rollbackFlags: [...(spec.rollbackFlags ?? [])],
    analysis,
  };
  return { ok: true, value: plan };
}

/** The spec that rebuilds `plan`: what a resumed run starts from before the user's options. */
export function specFromPlan(plan: DeploymentPlan): PlanSpec {
  const { metrics, gates } = plan;
  return {
    flag: plan.flag,
    configFile: plan.configFile,
    strategy: plan.strategy,
    // A preset's steps come from the preset; only custom steps are the user's own.
    ...(plan.strategy === 'custom' ? { steps: plan.steps } : {}),
    ...(plan.strategy === 'instant' ? {} : { stepDurationMs: plan.stepDurationMs }),
    checkIntervalMs: plan.checkIntervalMs,
    ...(metrics === null ? { metrics: null } : metricsSpec(metrics)),
    maxErrorRate: gates.maxErrorRate,
    maxP95Ms: gates.maxP95Ms,
    minRequests: gates.minRequests,
    failureLimit: gates.failureLimit,
    inconclusiveLimit: gates.inconclusiveLimit,
    rollbackFlags: plan.rollbackFlags,
    ...(plan.analysis === undefined
      ? {}
      : {
          analysis: plan.analysis.mode,
          alpha: plan.analysis.alpha,
          bakeMs: plan.analysis.bakeMs,
          variantLabel: plan.analysis.variantLabel,
        }),
  };
}

function metricsSpec(metrics: MetricsPlan): Partial<PlanSpec> {
  return {
    metrics: metrics.source,
    windowMs: metrics.windowMs,
    requestsMetric: metrics.requestsMetric,
    durationMetric: metrics.durationMetric,
    statusLabel: metrics.statusLabel,
    errorStatusPattern: metrics.errorStatusPattern,
    requestsQuery: metrics.requestsQuery,
    errorRateQuery: metrics.errorRateQuery,
    p95Query: metrics.p95Query,
  };
}

function resolveSchedule(
  strategy: Strategy,
  spec: PlanSpec,
): Result<{ steps: readonly number[]; stepDurationMs: number }> {
  if (strategy === 'custom') {
    if (spec.steps === undefined) return { ok: false, error: 'strategy custom needs --steps, e.g. 0,5,25,100' };
    const problem = checkSteps(spec.steps);
    if (problem !== undefined) return { ok: false, error: problem };
    const stepDurationMs = spec.stepDurationMs ?? CUSTOM_STEP_DURATION_MS;
    if (stepDurationMs <= 0) return { ok: false, error: 'step duration must be greater than zero' };
    return { ok: true, value: { steps: [...spec.steps], stepDurationMs } };
  }
  if (spec.steps !== undefined) {
    return { ok: false, error: `--steps needs --strategy custom (strategy ${strategy} has fixed steps)` };
  }
  const preset = STRATEGY_PRESETS[strategy];
  if (strategy === 'instant' && spec.stepDurationMs !== undefined) {
    return { ok: false, error: '--step-duration does not apply to strategy instant' };
  }
  const stepDurationMs = spec.stepDurationMs ?? preset.stepDurationMs;
  if (strategy !== 'instant' && stepDurationMs <= 0) {
    return { ok: false, error: 'step duration must be greater than zero' };
  }
  return { ok: true, value: { steps: [...preset.steps], stepDurationMs } };
}

function resolveMetrics(spec: PlanSpec, checkIntervalMs: number): MetricsPlan | null {
  if (spec.metrics === undefined || spec.metrics === null) return null;
  return {
    source: spec.metrics,
    windowMs: spec.windowMs ?? checkIntervalMs,
    requestsMetric: spec.requestsMetric ?? PLAN_DEFAULTS.requestsMetric,
    durationMetric: spec.durationMetric ?? PLAN_DEFAULTS.durationMetric,
    statusLabel: spec.statusLabel ?? PLAN_DEFAULTS.statusLabel,
    errorStatusPattern: spec.errorStatusPattern ?? PLAN_DEFAULTS.errorStatusPattern,
    requestsQuery: spec.requestsQuery ?? null,
    errorRateQuery: spec.errorRateQuery ?? null,
    p95Query: spec.p95Query ?? null,
  };
}

function checkRollbackFlags(spec: PlanSpec): string | undefined {
  const flags = spec.rollbackFlags ?? [];
  if (flags.includes(spec.flag)) return `--rollback-flags must not name the deployed flag ${spec.flag}`;
  const duplicate = flags.find((flag, index) => flags.indexOf(flag) !== index);
  return duplicate === undefined ? undefined : `--rollback-flags names ${duplicate} twice`;
}

/**
 * The analysis settings. The bake defaults to one step duration when there is a health gate (the
 * last stage is watched as long as any other), and to none without one (nothing would judge it).
 */
function resolveAnalysis(spec: PlanSpec, defaultBakeMs: number): AnalysisPlan {
  return {
    mode: spec.analysis ?? PLAN_DEFAULTS.analysis,
    alpha: spec.alpha ?? PLAN_DEFAULTS.alpha,
    sampleRatioAlpha: PLAN_DEFAULTS.sampleRatioAlpha,
    bakeMs: spec.bakeMs ?? defaultBakeMs,
    variantLabel: spec.variantLabel ?? null,
  };
}

function checkAnalysis(analysis: AnalysisPlan): string | undefined {
  if (!(analysis.alpha > 0 && analysis.alpha < 0.5)) return `--alpha must be between 0 and 0.5, got ${analysis.alpha}`;
  if (analysis.bakeMs < 0) return 'bake time must not be negative';
  if (analysis.variantLabel !== null && !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(analysis.variantLabel))
    return `--variant-label must be a Prometheus label name, got "${analysis.variantLabel}"`;
  return undefined;
}
