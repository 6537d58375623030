import { judgeCheck } from '../dist/deploy/gates/cohort-gate.js';
import { buildPlan } from '../dist/deploy/plan/plan.js';
import { hashPlan } from '../dist/deploy/plan/plan-hash.js';
import { recordVerdict, startDeployment } from '../dist/deploy/state/transitions.js';

/**
 * One simulated rollout, driven by the real gate: each check window's requests are drawn (seeded)
 * per cohort, judged by `judgeCheck` and folded into the state by `recordVerdict`, exactly as the
 * controller does — only the metrics source and the clock are simulated.
 */

const START = Date.parse('2026-01-01T00:00:00Z');

/** Latency buckets (seconds) with the cumulative share of requests at or under each bound. */
const LATENCY_SHARES = [
  ['0.05', 0.8],
  ['0.1', 0.95],
  ['0.25', 0.99],
  ['+Inf', 1],
];

export function createPlan(settings) {
  const built = buildPlan({
    flag: 'bench',
    configFile: '/bench/flags.json',
    strategy: 'custom',
    steps: settings.steps,
    stepDurationMs: settings.stepMs,
    checkIntervalMs: settings.checkMs,
    metrics: { kind: 'scrape', urls: ['http://bench/metrics'] },
    maxErrorRate: settings.maxErrorRate,
    maxP95Ms: null,
    bakeMs: settings.stepMs,
    analysis: settings.analysis,
  });
  if (!built.ok) throw new Error(built.error);
  return built.value;
}

/**
 * Runs one rollout to its end. `errorRate(percentage, variant)` gives each cohort's error rate.
 * Returns the outcome, the stage it ended at, and — for a rollback — the treatment requests the
 * stage had seen and the seconds since the stage began.
 */
export function simulateRollout(plan, scenario, random) {
  let state = { ...startDeployment(plan, hashPlan(plan), START, 'bench').state, applied: true };
  let nowMs = START;
  for (let checks = 0; checks < 10_000 && state.status === 'running'; checks += 1) {
    nowMs += plan.checkIntervalMs;
    const reading = drawWindow(plan, state.percentage, scenario, random, nowMs);
    const { verdict, ledger } = judgeCheck(reading, state, nowMs);
    const measured = ledger === undefined ? state : { ...state, cohortLedger: ledger };
    const before = state;
    state = { ...recordVerdict(measured, verdict, nowMs).state, applied: true };
    if (state.status === 'rolled_back') {
      return {
        outcome: 'rolled_back',
        percentage: before.percentage,
        treatmentRequests: ledger?.stage.treatment.requests ?? null,
        secondsIntoStage: (nowMs - Date.parse(before.stageEnteredAt)) / 1000,
        reason: state.reason,
      };
    }
  }
  return {
    outcome: state.status,
    percentage: state.percentage,
    treatmentRequests: null,
    secondsIntoStage: null,
    reason: state.reason,
  };
}

function drawWindow(plan, percentage, scenario, random, nowMs) {
  const total = Math.round((scenario.requestsPerSecond * plan.checkIntervalMs) / 1000);
  const treated = binomial(total, percentage / 100, random);
  const treatment = drawCohort(treated, scenario.errorRate(percentage, 'on'), random);
  const control = drawCohort(total - treated, scenario.errorRate(percentage, 'off'), random);
  const errors = treatment.errors + control.errors;
  const base = {
    kind: 'measured',
    windowStartMs: nowMs - plan.checkIntervalMs,
    windowEndMs: nowMs,
    source: 'simulation',
  };
  const global = { requests: total, errors, errorRate: total > 0 ? errors / total : null, p95Ms: null };
  return plan.analysis.mode === 'cohort'
    ? { ...base, ...global, cohorts: { treatment, control } }
    : { ...base, ...global };
}

function drawCohort(requests, errorRate, random) {
  const buckets = {};
  let left = requests;
  let below = 0;
  let shareBelow = 0;
  for (const [le, share] of LATENCY_SHARES) {
    const inBucket = le === '+Inf' ? left : binomial(left, (share - shareBelow) / (1 - shareBelow), random);
    left -= inBucket;
    below += inBucket;
    shareBelow = share;
    buckets[le] = below;
  }
  return { requests, errors: binomial(requests, errorRate, random), buckets };
}

/** A binomial draw: inversion for small means, the normal approximation (rounded, clamped) for large. */
export function binomial(n, p, random) {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const mean = n * p;
  if (mean < 30 || n * (1 - p) < 30) {
    let k = 0;
    let probability = (1 - p) ** n;
    let cumulative = probability;
    const u = random();
    while (u > cumulative && k < n) {
      probability *= ((n - k) / (k + 1)) * (p / (1 - p));
      k += 1;
      cumulative += probability;
    }
    return k;
  }
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.min(n, Math.max(0, Math.round(mean + z * Math.sqrt(mean * (1 - p)))));
}
