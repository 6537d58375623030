import { describe, expect, it } from 'vitest';
import { buildPlan, PLAN_DEFAULTS, specFromPlan } from '../../../src/deploy/plan/plan.js';
import type { DeploymentPlan, PlanSpec } from '../../../src/deploy/plan/deployment-plan.js';
import { hashPlan } from '../../../src/deploy/plan/plan-hash.js';
import { scheduleStages, summarizePlan } from '../../../src/deploy/plan/plan-schedule.js';

const BASE: PlanSpec = { flag: 'phase_4_deployment', configFile: '/srv/config/feature_flags.json' };
const START = Date.parse('2025-10-18T00:00:00Z');
const DAY = 86_400_000;

function plan(spec: Partial<PlanSpec> = {}): DeploymentPlan {
  const built = buildPlan({ ...BASE, ...spec });
  if (!built.ok) throw new Error(built.error);
  return built.value;
}

describe('buildPlan', () => {
  it('defaults to the safe strategy with the documented gates and no metrics source', () => {
    expect(plan()).toEqual({
      ...BASE,
      strategy: 'safe',
      steps: [0, 5, 10, 25, 50, 75, 100],
      stepDurationMs: DAY,
      checkIntervalMs: 60_000,
      metrics: null,
      gates: {
        maxErrorRate: 0.01,
        maxP95Ms: 500,
        minRequests: 100,
        failureLimit: 2,
        inconclusiveLimit: 10,
        immediateRollbackFactor: 5,
      },
      rollbackFlags: [],
      analysis: { mode: 'cohort', alpha: 0.001, sampleRatioAlpha: 0.001, bakeMs: 0, variantLabel: null },
    });
  });

  it('bakes the last stage for one step duration when there is a health gate, or as long as --bake says', () => {
    const metrics = { kind: 'scrape', urls: ['http://a/metrics'] } as const;
    expect(plan({ metrics }).analysis?.bakeMs).toBe(DAY);
    expect(plan({ metrics, bakeMs: 600_000 }).analysis?.bakeMs).toBe(600_000);
  });

  it.each([
    [{ alpha: 0 }, '--alpha must be between 0 and 0.5, got 0'],
    [{ alpha: 0.5 }, '--alpha must be between 0 and 0.5, got 0.5'],
    [{ bakeMs: -1 }, 'bake time must not be negative'],
    [{ variantLabel: 'flag-variant' }, '--variant-label must be a Prometheus label name, got "flag-variant"'],
  ])('refuses analysis setting %o', (spec, error) => {
    expect(buildPlan({ ...BASE, ...spec })).toEqual({ ok: false, error });
  });

  it.each([
    ['fast', [0, 25, 50, 100], DAY],
    ['instant', [100], 0],
  ] as const)('gives the %s strategy its preset steps', (strategy, steps, stepDurationMs) => {
    expect(plan({ strategy })).toMatchObject({ strategy, steps, stepDurationMs });
  });

  it('takes custom steps, and --steps alone implies the custom strategy', () => {
    expect(plan({ steps: [0, 2.5, 100], stepDurationMs: 500 })).toMatchObject({
      strategy: 'custom',
      steps: [0, 2.5, 100],
      stepDurationMs: 500,
    });
  });

  it('fills in the metric names of a prom-client app and a window of one check interval', () => {
    const { metrics } = plan({ metrics: { kind: 'scrape', urls: ['http://a/metrics'] }, checkIntervalMs: 30_000 });
    expect(metrics).toEqual({
      source: { kind: 'scrape', urls: ['http://a/metrics'] },
      windowMs: 30_000,
      requestsMetric: 'http_requests_total',
      durationMetric: 'http_request_duration_seconds',
      statusLabel: 'status',
      errorStatusPattern: '5..',
      requestsQuery: null,
      errorRateQuery: null,
      p95Query: null,
    });
  });

  it.each([
    [{ strategy: 'custom' }, 'strategy custom needs --steps, e.g. 0,5,25,100'],
    [{ strategy: 'safe', steps: [0, 100] }, '--steps needs --strategy custom (strategy safe has fixed steps)'],
    [{ strategy: 'instant', stepDurationMs: 1000 }, '--step-duration does not apply to strategy instant'],
    [{ steps: [0, 50, 50] }, 'steps must increase: 50 is followed by 50'],
    [{ steps: [0, 101] }, 'step 101 is outside 0–100'],
    [{ steps: [0, 0.005, 100] }, 'step 0.005 is finer than 0.01'],
    [{ steps: [] }, '--steps must name at least one percentage'],
    [{ maxErrorRate: 0 }, '--max-error-rate 0 must be above 0 and at most 1 (a fraction: 0.01 is 1%)'],
    [{ failureLimit: 0 }, '--failure-limit 0 must be a whole number ≥ 1'],
    [{ minRequests: 2.5 }, '--min-requests 2.5 must be a whole number ≥ 0'],
    [{ checkIntervalMs: 0 }, 'check interval must be greater than zero'],
    [{ rollbackFlags: ['phase_4_deployment'] }, '--rollback-flags must not name the deployed flag phase_4_deployment'],
    [{ rollbackFlags: ['a', 'a'] }, '--rollback-flags names a twice'],
    [
      { metrics: { kind: 'scrape', urls: ['http://a'] }, statusLabel: 'status-code' },
      '--status-label "status-code" is not a Prometheus name',
    ],
  ] as const)('refuses %j', (spec, error) => {
    expect(buildPlan({ ...BASE, ...(spec as Partial<PlanSpec>) })).toEqual({ ok: false, error });
  });

  it.each([
    [{ metrics: { kind: 'prometheus', baseUrl: 'http://p:9090' }, maxP95Ms: null, rollbackFlags: ['a'] }],
    [{ strategy: 'fast', stepDurationMs: 3_600_000 }],
    [{ strategy: 'instant' }],
    [{ steps: [0, 10, 100], stepDurationMs: 1_000 }],
  ] as const)('rebuilds the same plan from its own spec: %j', (spec) => {
    const original = plan(spec as Partial<PlanSpec>);
    expect(buildPlan(specFromPlan(original))).toEqual({ ok: true, value: original });
  });

  it('keeps the defaults in one object that agrees with the built plan', () => {
    expect(plan().gates.maxErrorRate).toBe(PLAN_DEFAULTS.maxErrorRate);
  });
});

describe('scheduleStages and summarizePlan', () => {
  it('puts safe one step a day from the start, completing on the seventh day', () => {
    const summary = summarizePlan(plan(), { stage: 0, atMs: START });
    expect(summary.stages.map((stage) => [stage.percentage, new Date(stage.atMs).toISOString()])).toEqual([
      [0, '2025-10-18T00:00:00.000Z'],
      [5, '2025-10-19T00:00:00.000Z'],
      [10, '2025-10-20T00:00:00.000Z'],
      [25, '2025-10-21T00:00:00.000Z'],
      [50, '2025-10-22T00:00:00.000Z'],
      [75, '2025-10-23T00:00:00.000Z'],
      [100, '2025-10-24T00:00:00.000Z'],
    ]);
    expect(summary.earliestCompletionMs).toBe(START + 6 * DAY);
  });

  it('completes fast three days after the start and instant at once', () => {
    expect(summarizePlan(plan({ strategy: 'fast' }), { stage: 0, atMs: START }).earliestCompletionMs).toBe(
      START + 3 * DAY,
    );
    expect(summarizePlan(plan({ strategy: 'instant' }), { stage: 0, atMs: START }).earliestCompletionMs).toBe(START);
  });

  it('counts a resumed schedule from the current stage', () => {
    const stages = scheduleStages(plan({ strategy: 'fast' }), { stage: 2, atMs: START });
    expect(stages.map((stage) => stage.atMs - START)).toEqual([-2 * DAY, -DAY, 0, DAY]);
  });

  it('bounds detection by one check interval for an immediate rollback and failureLimit intervals otherwise', () => {
    const gated = plan({ metrics: { kind: 'scrape', urls: ['http://a'] }, checkIntervalMs: 30_000, failureLimit: 3 });
    expect(summarizePlan(gated, { stage: 0, atMs: START })).toMatchObject({
      immediateRollbackWithinMs: 30_000,
      sustainedRollbackWithinMs: 90_000,
    });
    expect(summarizePlan(plan(), { stage: 0, atMs: START })).toMatchObject({
      immediateRollbackWithinMs: null,
      sustainedRollbackWithinMs: null,
    });
  });
});

describe('hashPlan', () => {
  it('does not depend on key order', () => {
    const original = plan();
    const reordered = Object.fromEntries(Object.entries(original).reverse()) as unknown as DeploymentPlan;
    expect(hashPlan(reordered)).toBe(hashPlan(original));
  });

  it('changes with any setting', () => {
    expect(hashPlan(plan({ failureLimit: 3 }))).not.toBe(hashPlan(plan()));
    expect(hashPlan(plan({ strategy: 'fast' }))).not.toBe(hashPlan(plan()));
  });
});
