import type { HealthGates } from './deployment-plan.js';
import type { MetricsPlan } from '../metrics/metrics-plan.js';

/** Names the first problem of a step list: range, 0.01 precision, strictly increasing, ending above 0%. */
export function checkSteps(steps: readonly number[]): string | undefined {
  if (steps.length === 0) return '--steps must name at least one percentage';
  for (const [index, step] of steps.entries()) {
    if (!Number.isFinite(step) || step < 0 || step > 100) return `step ${step} is outside 0–100`;
    if (Math.abs(step * 100 - Math.round(step * 100)) > 1e-6) return `step ${step} is finer than 0.01`;
    const previous = steps[index - 1];
    if (previous !== undefined && step <= previous) {
      return `steps must increase: ${previous} is followed by ${step}`;
    }
  }
  if ((steps.at(-1) ?? 0) <= 0) return 'the last step must be above 0%: a rollout that ends at 0% turns nobody on';
  return undefined;
}

/** Names the first gate threshold that is out of range. */
export function checkGates(gates: HealthGates): string | undefined {
  if (!(gates.maxErrorRate > 0 && gates.maxErrorRate <= 1)) {
    return `--max-error-rate ${gates.maxErrorRate} must be above 0 and at most 1 (a fraction: 0.01 is 1%)`;
  }
  if (gates.maxP95Ms !== null && !(gates.maxP95Ms > 0)) return `--max-p95-ms ${gates.maxP95Ms} must be above 0`;
  if (!isCount(gates.minRequests, 0)) return `--min-requests ${gates.minRequests} must be a whole number ≥ 0`;
  if (!isCount(gates.failureLimit, 1)) return `--failure-limit ${gates.failureLimit} must be a whole number ≥ 1`;
  if (!isCount(gates.inconclusiveLimit, 1)) {
    return `--inconclusive-limit ${gates.inconclusiveLimit} must be a whole number ≥ 1`;
  }
  return undefined;
}

/** Names the first metrics setting that cannot work. */
export function checkMetrics(metrics: MetricsPlan): string | undefined {
  if (!(metrics.windowMs > 0)) return 'metrics window must be greater than zero';
  for (const [option, name] of [
    ['--requests-metric', metrics.requestsMetric],
    ['--duration-metric', metrics.durationMetric],
    ['--status-label', metrics.statusLabel],
  ] as const) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) return `${option} "${name}" is not a Prometheus name`;
  }
  try {
    new RegExp(`^(?:${metrics.errorStatusPattern})$`);
  } catch (cause) {
    return `--error-status "${metrics.errorStatusPattern}" is not a valid pattern: ${String(cause)}`;
  }
  return undefined;
}

function isCount(value: number, min: number): boolean {
  return Number.isInteger(value) && value >= min;
}
