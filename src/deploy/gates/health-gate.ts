import type { VerdictKind } from '../analysis/verdict-kind.js';
import type { Verdict } from '../state/deployment-state.js';
import type { MetricsReading } from '../metrics/metrics-reading.js';
import type { HealthGates } from '../plan/deployment-plan.js';
import { formatPercent } from '../format-percent.js';

interface Finding {
  readonly kind: VerdictKind;
  readonly reason: string;
}

/**
 * Judges one reading against the gates. Too few requests, no data or an unreachable source are
 * inconclusive, never a pass. Any breached limit fails; an error rate above the immediate level is
 * marked critical. Otherwise it passes, with the numbers that passed in the reasons.
 */
export function judgeHealth(reading: MetricsReading, gates: HealthGates, atMs: number): Verdict {
  const base = {
    at: new Date(atMs).toISOString(),
    windowStart: new Date(reading.windowStartMs).toISOString(),
    source: reading.source,
  };
  if (reading.kind === 'unavailable') {
    return { ...base, kind: 'inconclusive', reasons: [reading.reason], critical: false, measurement: null };
  }
  const measurement = {
    requests: reading.requests,
    errors: reading.errors,
    errorRate: reading.errorRate,
    p95Ms: reading.p95Ms,
  };
  const findings = [requestFinding(reading.requests, gates)];
  if (reading.requests >= gates.minRequests)
    findings.push(errorFinding(reading.errorRate, gates), latencyFinding(reading.p95Ms, gates));
  const critical =
    reading.errorRate !== null &&
    reading.requests >= gates.minRequests &&
    reading.errorRate > gates.maxErrorRate * gates.immediateRollbackFactor;
  const kind = findings.some((finding) => finding.kind === 'fail')
    ? 'fail'
    : findings.some((finding) => finding.kind === 'inconclusive')
      ? 'inconclusive'
      : 'pass';
  const reasons = findings.filter((finding) => finding.kind === kind).map((finding) => finding.reason);
  return { ...base, kind, reasons, critical, measurement };
}

/** An unchecked stage: no metrics source was given, so only time moves it. */
export function ungatedVerdict(windowStartMs: number, atMs: number): Verdict {
  return {
    kind: 'pass',
    at: new Date(atMs).toISOString(),
    windowStart: new Date(windowStartMs).toISOString(),
    reasons: ['no health gate (no --metrics source)'],
    critical: false,
    measurement: null,
    source: 'none',
  };
}

function requestFinding(requests: number, gates: HealthGates): Finding {
  const shown = formatCount(requests);
  return requests < gates.minRequests
    ? { kind: 'inconclusive', reason: `${shown} requests < minimum ${gates.minRequests}` }
    : { kind: 'pass', reason: `${shown} requests ≥ ${gates.minRequests}` };
}

function errorFinding(errorRate: number | null, gates: HealthGates): Finding {
  const limit = formatPercent(gates.maxErrorRate);
  if (errorRate === null) return { kind: 'inconclusive', reason: 'no error-rate data' };
  const immediate = gates.maxErrorRate * gates.immediateRollbackFactor;
  if (errorRate > immediate) {
    return {
      kind: 'fail',
      reason: `error rate ${formatPercent(errorRate)} > ${gates.immediateRollbackFactor}× the ${limit} limit`,
    };
  }
  if (errorRate > gates.maxErrorRate)
    return { kind: 'fail', reason: `error rate ${formatPercent(errorRate)} > ${limit}` };
  return { kind: 'pass', reason: `error rate ${formatPercent(errorRate)} ≤ ${limit}` };
}

function latencyFinding(p95Ms: number | null, gates: HealthGates): Finding {
  if (gates.maxP95Ms === null) return { kind: 'pass', reason: 'latency gate off' };
  if (p95Ms === null) return { kind: 'inconclusive', reason: 'no latency data' };
  const shown = `p95 ${formatMs(p95Ms)}`;
  return p95Ms > gates.maxP95Ms
    ? { kind: 'fail', reason: `${shown} > ${formatMs(gates.maxP95Ms)}` }
    : { kind: 'pass', reason: `${shown} ≤ ${formatMs(gates.maxP95Ms)}` };
}

function formatMs(ms: number): string {
  return `${Number(ms.toFixed(1))}ms`;
}

function formatCount(count: number): string {
  return Number.isInteger(count) ? String(count) : count.toFixed(1);
}
