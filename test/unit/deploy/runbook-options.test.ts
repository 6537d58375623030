import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addCommonOptions, addPlanOptions, DEFAULT_CONFIG_FILE } from '../../../src/cli/commands/deploy-options.js';
import { defaultStatePath } from '../../../src/deploy/state/state-store.js';
import { parseDuration } from '../../../src/deploy/plan/duration.js';
import { PLAN_DEFAULTS } from '../../../src/deploy/plan/plan.js';
import { STRATEGY_PRESETS } from '../../../src/deploy/plan/strategy.js';

/* The option table of docs/DEPLOYMENT.md must list exactly the options of `deploy start`, with the code's defaults. */

const RUNBOOK = fileURLToPath(new URL('../../../docs/DEPLOYMENT.md', import.meta.url));

async function optionTable(): Promise<Map<string, string>> {
  const text = await readFile(RUNBOOK, 'utf8');
  const section = text.slice(text.indexOf('### Plan options'), text.indexOf('## Runbook'));
  const rows = section.split('\n').filter((line) => line.startsWith('| `--'));
  return new Map(
    rows.map((row) => {
      const [option = '', defaultValue = ''] = row
        .split('|')
        .slice(1)
        .map((cell) => cell.trim());
      return [/--[a-z0-9-]+/.exec(option)?.[0] ?? '', defaultValue.replace(/`/g, '')];
    }),
  );
}

/** The defaults of deploy start, written out: the runbook and the code must both state exactly these. */
const EXPECTED_DEFAULTS = {
  strategy: 'safe',
  stepDurationMs: 86_400_000,
  checkIntervalMs: 60_000,
  maxErrorRate: 0.01,
  maxP95Ms: 500,
  minRequests: 100,
  failureLimit: 2,
  inconclusiveLimit: 10,
  requestsMetric: 'http_requests_total',
  durationMetric: 'http_request_duration_seconds',
  statusLabel: 'status',
  errorStatusPattern: '5..',
  analysis: 'cohort',
  alpha: 0.001,
  config: 'config/feature_flags.json',
  state: 'config/feature_flags.deployment.json',
};

describe('the runbook option table', () => {
  it('lists every option of deploy start and no other', async () => {
    const command = addPlanOptions(addCommonOptions(new Command('start')));
    const options = command.options.map((option) => option.long ?? '');
    expect([...(await optionTable()).keys()].sort()).toEqual(options.sort());
  });

  it('gives the defaults the code uses', async () => {
    const table = await optionTable();
    const number = (option: string): number => Number(table.get(option));
    const duration = (option: string): number | undefined => {
      const parsed = parseDuration(table.get(option) ?? '');
      return parsed.ok ? parsed.value : undefined;
    };
    expect({
      strategy: table.get('--strategy'),
      stepDurationMs: duration('--step-duration'),
      checkIntervalMs: duration('--check-interval'),
      maxErrorRate: number('--max-error-rate'),
      maxP95Ms: number('--max-p95-ms'),
      minRequests: number('--min-requests'),
      failureLimit: number('--failure-limit'),
      inconclusiveLimit: number('--inconclusive-limit'),
      requestsMetric: table.get('--requests-metric'),
      durationMetric: table.get('--duration-metric'),
      statusLabel: table.get('--status-label'),
      errorStatusPattern: table.get('--error-status'),
      analysis: table.get('--analysis'),
      alpha: number('--alpha'),
      config: table.get('--config'),
      state: table.get('--state'),
    }).toEqual(EXPECTED_DEFAULTS);
  });

  it('documents the defaults the code has', () => {
    const { strategy, checkIntervalMs, maxErrorRate, maxP95Ms, minRequests, failureLimit, inconclusiveLimit } =
      PLAN_DEFAULTS;
    const { requestsMetric, durationMetric, statusLabel, errorStatusPattern, analysis, alpha } = PLAN_DEFAULTS;
    expect({
      strategy,
      stepDurationMs: STRATEGY_PRESETS.safe.stepDurationMs,
      checkIntervalMs,
      maxErrorRate,
      maxP95Ms,
      minRequests,
      failureLimit,
      inconclusiveLimit,
      requestsMetric,
      durationMetric,
      statusLabel,
      errorStatusPattern,
      analysis,
      alpha,
      config: DEFAULT_CONFIG_FILE,
      state: defaultStatePath(DEFAULT_CONFIG_FILE),
    }).toEqual(EXPECTED_DEFAULTS);
  });
});
