import { describe, expect, it } from 'vitest';
import { judgeHealth } from '../../../src/deploy/gates/health-gate.js';
import type { MetricsReading } from '../../../src/deploy/metrics/metrics-reading.js';
import type { HealthGates } from '../../../src/deploy/plan/deployment-plan.js';

const GATES: HealthGates = {
  maxErrorRate: 0.01,
  maxP95Ms: 500,
  minRequests: 100,
  failureLimit: 2,
  inconclusiveLimit: 10,
  immediateRollbackFactor: 5,
};
const AT = Date.parse('2025-10-18T12:00:00Z');

function measured(requests: number, errorRate: number | null, p95Ms: number | null): MetricsReading {
  const errors = errorRate === null ? null : errorRate * requests;
  return {
    kind: 'measured',
    requests,
    errors,
    errorRate,
    p95Ms,
    windowStartMs: AT - 60_000,
    windowEndMs: AT,
    source: 'test',
  };
}

describe('judgeHealth', () => {
  it('passes within every limit, giving the numbers that passed', () => {
    const verdict = judgeHealth(measured(1520, 0.002, 120), GATES, AT);
    expect(verdict).toMatchObject({
      kind: 'pass',
      critical: false,
      at: '2025-10-18T12:00:00.000Z',
      windowStart: '2025-10-18T11:59:00.000Z',
    });
    expect(verdict.reasons).toEqual(['1520 requests ≥ 100', 'error rate 0.2% ≤ 1%', 'p95 120ms ≤ 500ms']);
  });

  it.each([
    ['an error rate over the limit', measured(1000, 0.02, 100), ['error rate 2% > 1%'], false],
    ['an error rate over 5× the limit', measured(1000, 0.25, 100), ['error rate 25% > 5× the 1% limit'], true],
    ['a p95 over the limit', measured(1000, 0, 812.5), ['p95 812.5ms > 500ms'], false],
    ['both', measured(1000, 0.06, 900), ['error rate 6% > 5× the 1% limit', 'p95 900ms > 500ms'], true],
  ])('fails on %s', (_case, reading, reasons, critical) => {
    expect(judgeHealth(reading, GATES, AT)).toMatchObject({ kind: 'fail', reasons, critical });
  });

  it('takes exactly the limit as a pass: a limit is the highest acceptable value', () => {
    expect(judgeHealth(measured(1000, 0.01, 500), GATES, AT).kind).toBe('pass');
  });

  it.each([
    [
      'fewer requests than the minimum, even when all of them failed',
      measured(99, 1, 100),
      ['99 requests < minimum 100'],
    ],
    ['no error-rate data', measured(500, null, 100), ['no error-rate data']],
    ['no latency data', measured(500, 0, null), ['no latency data']],
    [
      'an unreachable source',
      { kind: 'unavailable', reason: 'cannot scrape x', windowStartMs: AT, windowEndMs: AT, source: 'test' } as const,
      ['cannot scrape x'],
    ],
  ])('is inconclusive on %s', (_case, reading, reasons) => {
    expect(judgeHealth(reading, GATES, AT)).toMatchObject({ kind: 'inconclusive', reasons, critical: false });
  });

  it('ignores latency when the latency gate is off', () => {
    expect(judgeHealth(measured(500, 0, null), { ...GATES, maxP95Ms: null }, AT).kind).toBe('pass');
  });

  it('fails on errors even when latency data is missing', () => {
    expect(judgeHealth(measured(500, 0.03, null), GATES, AT)).toMatchObject({
      kind: 'fail',
      reasons: ['error rate 3% > 1%'],
    });
  });
});
