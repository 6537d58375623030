import { describe, expect, it } from 'vitest';
import type { CohortCounts } from '../../../../src/deploy/metrics/cohort-counts.js';
import type { CohortLedger } from '../../../../src/deploy/analysis/cohort-ledger.js';
import { judgeCheck } from '../../../../src/deploy/gates/cohort-gate.js';
import type { DeploymentState } from '../../../../src/deploy/state/deployment-state.js';
import type { MetricsReading } from '../../../../src/deploy/metrics/metrics-reading.js';
import { buildPlan } from '../../../../src/deploy/plan/plan.js';
import { hashPlan } from '../../../../src/deploy/plan/plan-hash.js';
import { startDeployment } from '../../../../src/deploy/state/transitions.js';

const START = Date.parse('2025-10-18T00:00:00Z');
const AT = START + 60_000;

function stateAt(
  stageIndex: number,
  percentage: number,
  spec: { analysis?: 'cohort' | 'global' } = {},
): DeploymentState {
  const built = buildPlan({
    flag: 'checkout',
    configFile: '/srv/flags.json',
    strategy: 'custom',
    steps: [0, 5, 50, 100],
    metrics: { kind: 'scrape', urls: ['http://a/metrics'] },
    ...spec,
  });
  if (!built.ok) throw new Error(built.error);
  const started = startDeployment(built.value, hashPlan(built.value), START, 'ops@host').state;
  return { ...started, stageIndex, percentage, applied: true, cohortLedger: freshLedger(stageIndex) };
}

/** The ledger of a stage whose first (set-aside) window has passed. */
function freshLedger(stageIndex: number): CohortLedger {
  const empty = { requests: 0, errors: 0, buckets: {} };
  const stage = { treatment: empty, control: empty };
  return { stageIndex, stage, earlierControl: empty, errorPValue: 1, latencyPValue: 1, latencyBound: null };
}

function cohort(requests: number, errors: number, fastShare = 1): CohortCounts {
  const fast = Math.round(requests * fastShare);
  return { requests, errors, buckets: { '0.05': fast, '0.1': requests, '+Inf': requests } };
}

function reading(treatment: CohortCounts, control: CohortCounts | null): MetricsReading {
  return {
    kind: 'measured',
    requests: 0,
    errors: 0,
    errorRate: null,
    p95Ms: null,
    windowStartMs: START,
    windowEndMs: AT,
    source: 'test',
    cohorts: control === null ? null : { treatment, control },
  };
}

describe('judgeCheck with cohort analysis', () => {
  it('rolls back at once a treatment at 8% errors against control at 0.5%, the global rate under 1%', () => {
    const { verdict } = judgeCheck(reading(cohort(500, 40), cohort(9500, 48)), stateAt(1, 5), AT);
    expect(verdict).toMatchObject({ kind: 'fail', critical: true, measurement: { requests: 10_000, errors: 88 } });
    expect(verdict.measurement?.errorRate).toBeCloseTo(0.0088, 12);
    expect(verdict.reasons[0]).toMatch(
      /^treatment error rate 8% \[5\.93%–10\.7\d%\] vs control 0\.51% \[0\.38%–0\.67%\], p=\S+ ≤ α 0\.001$/,
    );
    expect(verdict.cohorts).toMatchObject({
      controlFrom: 'stage',
      expectedShare: 0.05,
      observedShare: 0.05,
      treatment: { requests: 500, errors: 40, errorRate: 0.08 },
      control: { requests: 9500, errors: 48 },
    });
  });

  it('passes equal cohorts and keeps the running p-values in the ledger', () => {
    const { verdict, ledger } = judgeCheck(reading(cohort(500, 3), cohort(9500, 57)), stateAt(1, 5), AT);
    expect(verdict.kind).toBe('pass');
    expect(verdict.critical).toBe(false);
    expect(ledger).toMatchObject({
      stageIndex: 1,
      stage: { treatment: { requests: 500 }, control: { requests: 9500 } },
    });
  });

  it('holds, inconclusive, while a cohort has fewer requests than the minimum', () => {
    const { verdict } = judgeCheck(reading(cohort(50, 1), cohort(950, 5)), stateAt(1, 5), AT);
    expect(verdict.kind).toBe('inconclusive');
    expect(verdict.reasons).toEqual(['treatment 50 vs control 950 requests: fewer than 100 in a cohort']);
  });

  it('marks a split far from the stage percentage a sample-ratio mismatch', () => {
    const { verdict } = judgeCheck(reading(cohort(100, 0), cohort(9900, 50)), stateAt(1, 5), AT);
    expect(verdict).toMatchObject({ kind: 'inconclusive', sampleRatioMismatch: true });
    expect(verdict.reasons[0]).toMatch(/^sample-ratio mismatch: treatment got 1% of requests, the stage serves 5% /);
  });

  it('sets aside the first window of a stage, which straddles the change, and banks the control before it', () => {
    const earlier = judgeCheck(reading(cohort(5000, 25), cohort(5000, 25)), stateAt(2, 50), AT).ledger;
    const next = judgeCheck(
      reading(cohort(10_000, 50), cohort(0, 0)),
      { ...stateAt(3, 100), cohortLedger: earlier as CohortLedger },
      AT,
    );
    expect(next.ledger).toMatchObject({
      stageIndex: 3,
      stage: { treatment: { requests: 0 }, control: { requests: 0 } },
      earlierControl: { requests: 5000, errors: 25 },
    });
    expect(next.verdict.kind).toBe('inconclusive');
  });

  it('bakes 100% against the control cohort of the stages before', () => {
    const earlier = judgeCheck(reading(cohort(5000, 25), cohort(5000, 25)), stateAt(2, 50), AT).ledger as CohortLedger;
    const baking = { ...stateAt(3, 100), cohortLedger: { ...freshLedger(3), earlierControl: earlier.stage.control } };
    const { verdict } = judgeCheck(reading(cohort(10_000, 300), cohort(0, 0)), baking, AT + 60_000);
    expect(verdict).toMatchObject({ kind: 'fail', critical: true, cohorts: { controlFrom: 'earlier stages' } });
    expect(verdict.cohorts?.control).toMatchObject({ requests: 5000, errors: 25 });
  });

  it('finds a latency regression as more treatment requests slower than control p95', () => {
    const { verdict } = judgeCheck(reading(cohort(1000, 5, 0.7), cohort(19_000, 95, 0.97)), stateAt(1, 5), AT);
    expect(verdict).toMatchObject({ kind: 'fail', critical: true });
    expect(verdict.reasons).toHaveLength(1);
    expect(verdict.reasons[0]).toMatch(/^slower than 50ms: treatment 30% vs control 3%, p=\S+ ≤ α 0\.001$/);
  });

  it('judges all traffic alone, saying so, when no per-variant series exist', () => {
    const { verdict } = judgeCheck(reading(cohort(0, 0), null), stateAt(1, 5), AT);
    expect(verdict.reasons.at(-1)).toBe('no per-variant series found: judged all traffic');
    expect(verdict.cohorts).toBeUndefined();
  });
});
