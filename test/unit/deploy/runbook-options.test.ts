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
    }).toEqual({
      strategy: PLAN_DEFAULTS.strategy,
      stepDurationMs: STRATEGY_PRESETS.safe.stepDurationMs,
      checkIntervalMs: PLAN_DEFAULTS.checkIntervalMs,
      maxErrorRate: PLAN_DEFAULTS.maxErrorRate,
      maxP95Ms: PLAN_DEFAULTS.maxP95Ms,
      minRequests: PLAN_DEFAULTS.minRequests,
      failureLimit: PLAN_DEFAULTS.failureLimit,
      inconclusiveLimit: PLAN_DEFAULTS.inconclusiveLimit,
      requestsMetric: PLAN_DEFAULTS.requestsMetric,
      durationMetric: PLAN_DEFAULTS.durationMetric,
      statusLabel: PLAN_DEFAULTS.statusLabel,
      errorStatusPattern: PLAN_DEFAULTS.errorStatusPattern,
      analysis: PLAN_DEFAULTS.analysis,
      alpha: PLAN_DEFAULTS.alpha,
      config: DEFAULT_CONFIG_FILE,
      state: defaultStatePath(DEFAULT_CONFIG_FILE),
    });
  });
});
