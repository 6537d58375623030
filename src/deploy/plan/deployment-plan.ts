import type { AnalysisMode, AnalysisPlan } from '../analysis/analysis-plan.js';
import type { MetricsPlan } from '../metrics/metrics-plan.js';
import type { MetricsSourceSpec } from '../metrics/metrics-source-spec.js';
import type { Strategy } from './strategy.js';

/** The thresholds a stage is judged against. */
export interface HealthGates {
  /** Highest acceptable share of failed requests, 0–1. */
  readonly maxErrorRate: number;
  /** Highest acceptable 95th-percentile latency; `null` turns the latency gate off. */
  readonly maxP95Ms: number | null;
  /** Fewer requests than this in a check window make the check inconclusive. */
  readonly minRequests: number;
  /** This many failed checks in a row roll back. */
  readonly failureLimit: number;
  /** This many inconclusive checks in a row pause the rollout for a human. */
  readonly inconclusiveLimit: number;
  /** An error rate above this multiple of `maxErrorRate` rolls back at once. */
  readonly immediateRollbackFactor: number;
}

/** Everything that defines a deployment; its hash guards a resumed run against a changed plan. */
export interface DeploymentPlan {
  readonly flag: string;
  /** Absolute path of the flag file the stages are written to. */
  readonly configFile: string;
  readonly strategy: Strategy;
  /** Exposure percentages, strictly increasing; stage 0 is applied at the start. */
  readonly steps: readonly number[];
  /** How long each stage is held, with passing checks, before the next. */
  readonly stepDurationMs: number;
  readonly checkIntervalMs: number;
  /** `null`: no health gate, stages advance on time alone. */
  readonly metrics: MetricsPlan | null;
  readonly gates: HealthGates;
  /** Flags switched off together with the deployed flag on rollback. */
  readonly rollbackFlags: readonly string[];
  /** How stages are judged and the last one baked; absent in states written before cohort analysis. */
  readonly analysis?: AnalysisPlan;
}

/** What a user may choose; anything left out takes the stored plan's value or the default. */
export interface PlanSpec {
  readonly flag: string;
  readonly configFile: string;
  readonly strategy?: Strategy;
  readonly steps?: readonly number[];
  readonly stepDurationMs?: number;
  readonly checkIntervalMs?: number;
  readonly metrics?: MetricsSourceSpec | null;
  readonly windowMs?: number;
  readonly requestsMetric?: string;
  readonly durationMetric?: string;
  readonly statusLabel?: string;
  readonly errorStatusPattern?: string;
  readonly requestsQuery?: string | null;
  readonly errorRateQuery?: string | null;
  readonly p95Query?: string | null;
  readonly maxErrorRate?: number;
  readonly maxP95Ms?: number | null;
  readonly minRequests?: number;
  readonly failureLimit?: number;
  readonly inconclusiveLimit?: number;
  readonly rollbackFlags?: readonly string[];
  readonly analysis?: AnalysisMode;
  readonly alpha?: number;
  readonly bakeMs?: number;
  readonly variantLabel?: string | null;
}
