import { cpus, totalmem } from 'node:os';
import { normalQuantile } from '../dist/deploy/analysis/normal-distribution.js';
import { fixedHorizonSampleSize } from '../dist/deploy/analysis/sequential-test.js';
import { PLAN_DEFAULTS } from '../dist/deploy/plan/plan.js';
import { createPlan, simulateRollout } from './analysis-simulation.js';
import { seededRandom } from './harness/seeded-random.js';
import { median, percentile } from './harness/stats.js';

/**
 * `npm run bench:analysis`: the cohort gate in simulation (seeded, so every run gives the same
 * table). Traffic 1,000 requests/s, checks every 10 s, stages 0 → 5 → 25 → 50 → 100% of 10 min each
 * and a 10 min bake; 1% of requests fail normally. (a) healthy rollouts: how many roll back (false
 * rollbacks) or pause; (b) the treatment fails 2% from the 5% stage on: how often, and after how
 * many treatment requests, the gate rolls back at 5%; (c) the same regression under the global gate.
 * The global limit is 2% here, so that a 1% baseline is healthy for both gates.
 */

const RUNS = Number(process.argv.find((arg) => arg.startsWith('--runs='))?.slice('--runs='.length) ?? 1000);
const SETTINGS = { steps: [0, 5, 25, 50, 100], stepMs: 600_000, checkMs: 10_000, maxErrorRate: 0.02 };
const RATE = 1000;
const BASE_ERROR_RATE = 0.01;
const REGRESSED_ERROR_RATE = 0.02;

const healthy = { requestsPerSecond: RATE, errorRate: () => BASE_ERROR_RATE };
const regression = {
  requestsPerSecond: RATE,
  errorRate: (percentage, variant) => (variant === 'on' ? REGRESSED_ERROR_RATE : BASE_ERROR_RATE),
};

function runMany(analysis, scenario, seed) {
  const plan = createPlan({ ...SETTINGS, analysis });
  const random = seededRandom(seed);
  return Array.from({ length: RUNS }, () => simulateRollout(plan, scenario, random));
}

/** `5%: 3, 100%: 2`: how many runs rolled back at each stage. */
function countByStage(results) {
  const counts = new Map();
  for (const result of results) counts.set(result.percentage, (counts.get(result.percentage) ?? 0) + 1);
  return [...counts].map(([percentage, count]) => `${percentage}%: ${count}`).join(', ');
}

function summarise(results) {
  const rolledBack = results.filter((result) => result.outcome === 'rolled_back');
  const atFive = rolledBack.filter((result) => result.percentage === 5);
  const requests = atFive.map((result) => result.treatmentRequests ?? 0);
  const seconds = atFive.map((result) => result.secondsIntoStage);
  return {
    completed: results.filter((result) => result.outcome === 'completed').length,
    paused: results.filter((result) => result.outcome === 'paused').length,
    rolledBack: rolledBack.length,
    caughtAtFive: atFive.length,
    rolledBackAt: countByStage(rolledBack),
    medianTreatmentRequests: requests.length === 0 ? null : median(requests),
    p95Seconds: seconds.length === 0 ? null : percentile(seconds, 95),
    medianSeconds: seconds.length === 0 ? null : median(seconds),
  };
}

const started = performance.now();
const rows = {
  a: summarise(runMany('cohort', healthy, 1)),
  b: summarise(runMany('cohort', regression, 2)),
  c: summarise(runMany('global', regression, 2)),
};
const alpha = PLAN_DEFAULTS.alpha;
const fixedHorizon = fixedHorizonSampleSize(BASE_ERROR_RATE, REGRESSED_ERROR_RATE, {
  alphaZ: normalQuantile(1 - alpha),
  powerZ: normalQuantile(0.8),
  ratio: 95 / 5,
});
const elapsedS = (performance.now() - started) / 1000;

const pct = (count) => `${((100 * count) / RUNS).toFixed(1)}%`;
const cell = (value, digits = 0) => (value === null ? '–' : value.toFixed(digits));
console.log(
  `Machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
);
console.log(`Date: ${new Date().toISOString().slice(0, 10)}; ${RUNS} runs per row; ${elapsedS.toFixed(1)} s`);
console.log(
  `α ${alpha} per stage and metric; fixed-horizon sample (one-sided, α ${alpha}, 80% power, 95:5 split): ${fixedHorizon} treatment requests\n`,
);
console.log(
  '| Scenario | Completed | Paused | Rolled back (at stage: runs) | Caught at 5% | Median treatment requests to catch | × fixed horizon | Median / p95 s into the 5% stage |',
);
console.log('|---|---|---|---|---|---|---|---|');
const line = (name, row) =>
  console.log(
    `| ${name} | ${pct(row.completed)} | ${pct(row.paused)} | ${pct(row.rolledBack)}${row.rolledBackAt === '' ? '' : ` (${row.rolledBackAt})`} | ${pct(row.caughtAtFive)} | ` +
      `${cell(row.medianTreatmentRequests)} | ${row.medianTreatmentRequests === null ? '–' : (row.medianTreatmentRequests / fixedHorizon).toFixed(2)} | ` +
      `${cell(row.medianSeconds)} / ${cell(row.p95Seconds)} |`,
  );
line('(a) healthy, cohort gate', rows.a);
line('(b) 1% → 2% at 5%, cohort gate', rows.b);
line('(c) 1% → 2% at 5%, global gate', rows.c);

const targets = [
  ['(a) false rollbacks ≤ 1%', rows.a.rolledBack / RUNS <= 0.01],
  ['(b) caught before the 5% stage ends in ≥ 95%', rows.b.caughtAtFive / RUNS >= 0.95],
  ['(b) median detection ≤ 2× the fixed horizon', (rows.b.medianTreatmentRequests ?? Infinity) <= 2 * fixedHorizon],
];
console.log('');
for (const [target, met] of targets) console.log(`${met ? 'met   ' : 'MISSED'} ${target}`);
process.exitCode = targets.every(([, met]) => met) ? 0 : 1;
