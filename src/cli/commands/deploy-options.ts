import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ANALYSIS_MODES, type AnalysisMode } from '../../deploy/analysis/analysis-plan.js';
import { parseDuration } from '../../deploy/plan/duration.js';
import { parseMetricsSourceSpec } from '../../deploy/metrics/metrics-source-spec.js';
import { checkSteps } from '../../deploy/plan/plan-checks.js';
import type { PlanOptions } from '../../deploy/controller/resolve-deployment.js';
import { defaultStatePath } from '../../deploy/state/state-store.js';
import { openDeploymentStore, type OpenedDeploymentStore, type StoreChoice } from './deploy-store.js';
import { STRATEGIES } from '../../deploy/plan/strategy.js';
import type { Strategy } from '../../deploy/plan/strategy.js';

/** The flag file used when none is named; its deployments are kept beside it (see `defaultStatePath`). */
export const DEFAULT_CONFIG_FILE = 'config/feature_flags.json';

/** Options every deploy command shares. */
export interface CommonOptions extends StoreChoice {
  readonly state?: string;
  readonly config?: string;
  readonly json?: true;
}

/** Adds `--config`, `--state` and `--json`. */
export function addCommonOptions(command: Command): Command {
  return command
    .option('--config <path>', `flag file (default: ${DEFAULT_CONFIG_FILE})`)
    .option(
      '--state <path>',
      'deployment state file; journal, lock and requests sit beside it (default: beside the flag file, <name>.deployment.json)',
    )
    .option('--store <url>', 'keep the deployment in this Redis store, beside its flag set (redis://host:port[/db])')
    .option('--flag-set <id>', 'with --store: the flag set rolled out (default: default)')
    .option(
      '--lease-ttl <duration>',
      'with --store: the controller lease, renewed while held (default: 5s)',
      durationArg,
    )
    .option(
      '--delivery-timeout <duration>',
      'with --store: how long a stage waits for every replica to send its revision to all its streams before the rollout pauses (default: 60s)',
      durationArg,
    )
    .option('--json', 'machine-readable output');
}

/** The state file a command works on: `--state`, else the flag file's default one. */
export function statePathOf(options: CommonOptions): string {
  return resolve(options.state ?? defaultStatePath(resolve(options.config ?? DEFAULT_CONFIG_FILE)));
}

/** Opens where a command's deployment is kept: `--store`, else the state file of {@link statePathOf}. */
export function openStoreOf(options: CommonOptions, following = false): Promise<OpenedDeploymentStore> {
  return openDeploymentStore(options, () => statePathOf(options), following);
}

/**
 * Adds the plan options. None has a commander default: a value is present only when typed, so a
 * resumed run can tell "given" from "left out" (left-out options keep the stored plan's values;
 * the defaults live in `PLAN_DEFAULTS`).
 */
export function addPlanOptions(command: Command): Command {
  return command
    .option('--flag <key>', 'flag to roll out')
    .addOption(
      new Option('--strategy <name>', 'safe, fast, instant or custom (default: safe; custom with --steps)').choices(
        STRATEGIES,
      ),
    )
    .option('--steps <list>', 'custom steps in percent, e.g. 0,5,25,100', parseSteps)
    .option(
      '--step-duration <duration>',
      'how long each stage is held, e.g. 24h, 30m, 500ms (default: 24h)',
      durationArg,
    )
    .option('--check-interval <duration>', 'time between health checks (default: 60s)', durationArg)
    .option(
      '--metrics <source>',
      'prometheus:URL or scrape:URL[,URL]; without it stages advance on time alone',
      metricsArg,
    )
    .option('--window <duration>', 'PromQL range of each check (default: the check interval)', durationArg)
    .option('--max-error-rate <fraction>', 'highest error rate, 0.01 = 1% (default: 0.01)', fractionArg)
    .option('--max-p95-ms <ms>', 'highest p95 latency in ms, or "off" (default: 500)', latencyArg)
    .option('--min-requests <n>', 'fewer requests in a check make it inconclusive (default: 100)', countArg)
    .option('--failure-limit <n>', 'failed checks in a row that roll back (default: 2)', countArg)
    .option('--inconclusive-limit <n>', 'inconclusive checks in a row that pause (default: 10)', countArg)
    .option('--rollback-flags <keys>', 'flags turned off with the deployed flag on rollback, comma-separated', listArg)
    .option('--requests-metric <name>', 'request counter with a status label (default: http_requests_total)')
    .option(
      '--duration-metric <name>',
      'request duration histogram in seconds (default: http_request_duration_seconds)',
    )
    .option('--status-label <name>', 'label holding the response status (default: status)')
    .option('--error-status <pattern>', 'statuses counted as errors, a regular expression (default: 5..)')
    .option('--requests-query <promql>', 'PromQL giving the request count of the window')
    .option('--error-rate-query <promql>', 'PromQL giving the error rate (0–1) of the window')
    .option('--p95-query <promql>', 'PromQL giving the p95 latency in seconds')
    .option('--force', 'roll out even a flag that would reach nobody (a parent is off) or an emergency flag')
    .addOption(
      new Option(
        '--analysis <mode>',
        'cohort: judge the users on the new variant against the rest (all traffic when no per-variant series); global: all traffic only (default: cohort)',
      ).choices(ANALYSIS_MODES),
    )
    .option(
      '--alpha <fraction>',
      'false-rollback rate of the cohort test per stage and metric (default: 0.001)',
      fractionArg,
    )
    .option(
      '--bake <duration>',
      'how long the last stage is judged before completing (default: the step duration with --metrics)',
      durationArg,
    )
    .option(
      '--variant-label <name>',
      "label carrying the flag variant on the app's own request metrics (default: the provider's tracking metrics)",
    )
    .option('--accept-plan-change', 'continue a running deployment under changed options')
    .option('--restart', 'start anew over a completed or rolled-back deployment');
}

/** Commander's parsed values for the plan options (only those typed are present). */
export interface RawPlanOptions {
  readonly flag?: string;
  readonly strategy?: Strategy;
  readonly steps?: number[];
  readonly stepDuration?: number;
  readonly checkInterval?: number;
  readonly metrics?: PlanOptions['metrics'];
  readonly window?: number;
  readonly maxErrorRate?: number;
  readonly maxP95Ms?: number | 'off';
  readonly minRequests?: number;
  readonly failureLimit?: number;
  readonly inconclusiveLimit?: number;
  readonly rollbackFlags?: string[];
  readonly requestsMetric?: string;
  readonly durationMetric?: string;
  readonly statusLabel?: string;
  readonly errorStatus?: string;
  readonly requestsQuery?: string;
  readonly errorRateQuery?: string;
  readonly p95Query?: string;
  readonly analysis?: AnalysisMode;
  readonly alpha?: number;
  readonly bake?: number;
  readonly variantLabel?: string;
  readonly config?: string;
  readonly acceptPlanChange?: true;
  readonly restart?: true;
  readonly force?: true;
}

/** The typed options as plan options, keeping only those given; `null` when none was. */
export function toPlanOptions(raw: RawPlanOptions): PlanOptions | null {
  const renamed: Record<string, unknown> = {
    flag: raw.flag,
    configFile: raw.config === undefined ? undefined : resolve(raw.config),
    strategy: raw.strategy,
    steps: raw.steps,
    stepDurationMs: raw.stepDuration,
    checkIntervalMs: raw.checkInterval,
    metrics: raw.metrics,
    windowMs: raw.window,
    maxErrorRate: raw.maxErrorRate,
    maxP95Ms: raw.maxP95Ms === 'off' ? null : raw.maxP95Ms,
    minRequests: raw.minRequests,
    failureLimit: raw.failureLimit,
    inconclusiveLimit: raw.inconclusiveLimit,
    rollbackFlags: raw.rollbackFlags,
    requestsMetric: raw.requestsMetric,
    durationMetric: raw.durationMetric,
    statusLabel: raw.statusLabel,
    errorStatusPattern: raw.errorStatus,
    requestsQuery: raw.requestsQuery,
    errorRateQuery: raw.errorRateQuery,
    p95Query: raw.p95Query,
    analysis: raw.analysis,
    alpha: raw.alpha,
    bakeMs: raw.bake,
    variantLabel: raw.variantLabel,
  };
  const given = Object.entries(renamed).filter(([, value]) => value !== undefined);
  return given.length === 0 ? null : (Object.fromEntries(given) as PlanOptions);
}

/** A duration option's value (`30s`, `24h`, `500ms`); a bare number or a bad unit names the accepted form. */
export function durationArg(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.error);
  return parsed.value;
}

function parseSteps(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((step) => !/^\d+(\.\d+)?$/.test(step)))
    throw new InvalidArgumentError(`expected percentages like 0,5,25,100, got "${text}"`);
  const steps = parts.map(Number);
  const problem = checkSteps(steps);
  if (problem !== undefined)
    throw new InvalidArgumentError(`${problem} (expected increasing percentages like 0,5,25,100)`);
  return steps;
}

function metricsArg(text: string): PlanOptions['metrics'] {
  const parsed = parseMetricsSourceSpec(text);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.error);
  return parsed.value;
}

function fractionArg(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new InvalidArgumentError(`expected a fraction such as 0.01, got "${text}"`);
  return value;
}

/** Commander turns a parser's `null` into `''`, so "off" stays a word until `toPlanOptions`. */
function latencyArg(text: string): number | 'off' {
  if (text === 'off') return 'off';
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new InvalidArgumentError(`expected milliseconds such as 500, or "off", got "${text}"`);
  return value;
}

function countArg(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError(`expected a whole number, got "${text}"`);
  return Number(text);
}

function listArg(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
