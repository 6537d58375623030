import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry, Verdict } from '../../src/deploy/state/deployment-state.js';
import { makeDeployWorkspace, servedFlags, type DeployWorkspace } from '../fixtures/deploy/deploy-workspace.js';
import { jsonLines, requireBuiltCli, spawnCli, waitForOutput } from '../fixtures/deploy/run-cli.js';
import { startTestApp, type TestApp } from '../fixtures/deploy/test-app.js';
import { startTraffic, type Traffic } from '../fixtures/deploy/traffic.js';

/*
 * Health-gated rollouts through the built CLI against a real prom-client app under real HTTP
 * traffic, read with the scrape source. Stages last a second or two; nothing here asserts speed.
 */

let workspace: DeployWorkspace;
let app: TestApp | undefined;
let traffic: Traffic | undefined;

beforeAll(() => requireBuiltCli());

afterEach(async () => {
  await traffic?.stop();
  await app?.close();
  await workspace.cleanup();
  traffic = undefined;
  app = undefined;
});

/** The flags as served: the people's file with the rollout layer on top. */
async function flagsOf(target: DeployWorkspace): Promise<Record<string, Record<string, unknown>>> {
  return servedFlags(target);
}

function startArgs(extra: readonly string[]): string[] {
  return [
    'deploy',
    'start',
    '--flag',
    'phase_4_deployment',
    '--config',
    workspace.flagFile,
    '--state',
    workspace.stateFile,
    '--json',
    ...extra,
  ];
}

const checksOf = (stdout: string): Verdict[] =>
  jsonLines(stdout)
    .filter((line) => line['event'] === 'check')
    .map((line) => line['verdict'] as Verdict);
const transitionsOf = (stdout: string): JournalEntry[] =>
  jsonLines(stdout)
    .filter((line) => line['event'] === 'transition')
    .map((line) => line['entry'] as JournalEntry);

describe('deploy start with a scrape: health gate', () => {
  it('completes a second-long-stage rollout, baking the last stage, when the app is healthy', async () => {
    workspace = await makeDeployWorkspace();
    app = await startTestApp({ errorRate: 0, latencyMs: 2 });
    traffic = startTraffic(app.workUrl, 200);
    const args = ['--strategy', 'custom', '--steps', '0,50,100', '--step-duration', '1s', '--check-interval', '500ms'];
    args.push('--bake', '1s');
    const result = await spawnCli(
      startArgs([...args, '--metrics', `scrape:${app.metricsUrl}`, '--min-requests', '20']),
      workspace.dir,
    ).done;

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // A starved machine may deliver too little traffic in a window: that check is inconclusive and the
    // stage holds where it is, which is right; what moves the rollout must be exactly these steps.
    const transitions = transitionsOf(result.stdout);
    const holds = transitions.filter((entry) => entry.event === 'hold');
    expect(holds.every((entry) => entry.from?.percentage === entry.to.percentage)).toBe(true);
    expect(
      transitions.filter((entry) => entry.event !== 'hold').map((entry) => [entry.event, entry.to.percentage]),
    ).toEqual([
      ['start', 0],
      ['advance', 50],
      ['advance', 100],
      ['complete', 100],
    ]);
    // Nothing may fail.
    const checks = checksOf(result.stdout);
    expect(checks.filter((check) => check.kind === 'fail')).toEqual([]);
    expect(checks.filter((check) => check.kind === 'pass').every((check) => check.measurement?.errorRate === 0)).toBe(
      true,
    );
    const flag = (await flagsOf(workspace))['phase_4_deployment'];
    expect(flag).toMatchObject({ enabled: true, rollout_strategy: 'percentage', rollout_percentage: 100 });
  });

  it('rolls back at the first check whose window holds the 25% error rate, turning the companion flags off', async () => {
    workspace = await makeDeployWorkspace();
    app = await startTestApp({ errorRate: 0, latencyMs: 2 });
    traffic = startTraffic(app.workUrl, 200);
    // Two-second stages leave room to inject the errors at 10%, however late this process sees the advance.
    const args = [
      '--strategy',
      'custom',
      '--steps',
      '0,10,50,100',
      '--step-duration',
      '2s',
      '--check-interval',
      '500ms',
    ];
    const cli = spawnCli(
      startArgs([
        ...args,
        '--metrics',
        `scrape:${app.metricsUrl}`,
        '--min-requests',
        '20',
        '--rollback-flags',
        'aatc_system_enabled',
      ]),
      workspace.dir,
    );
    await waitForOutput(cli, (stdout) => transitionsOf(stdout).some((entry) => entry.event === 'advance'));
    const injectedAtMs = Date.now();
    app.setErrorRate(0.25);
    const result = await cli.done;

    expect(result.code).toBe(3);
    const rollback = transitionsOf(result.stdout).find((entry) => entry.event === 'rollback');
    expect(rollback?.verdict?.critical).toBe(true);
    expect(rollback?.reason).toMatch(/^immediate rollback: error rate .*% > 5× the 1% limit/);
    // The first check measuring only traffic after the injection must already be the rollback.
    const firstFullWindow = checksOf(result.stdout).find((check) => Date.parse(check.windowStart) >= injectedAtMs);
    const rollbackAtMs = Date.parse(rollback?.at ?? '');
    expect(firstFullWindow === undefined || rollbackAtMs <= Date.parse(firstFullWindow.at)).toBe(true);
    const flags = await flagsOf(workspace);
    expect(flags['phase_4_deployment']).toMatchObject({ enabled: false, rollout_percentage: 0 });
    expect(flags['aatc_system_enabled']?.['enabled']).toBe(false);
  });

  it('holds at the first stage while traffic is below --min-requests, then pauses for a human', async () => {
    workspace = await makeDeployWorkspace();
    app = await startTestApp({ errorRate: 0, latencyMs: 2 });
    traffic = startTraffic(app.workUrl, 10);
    const args = [
      '--strategy',
      'custom',
      '--steps',
      '0,50,100',
      '--step-duration',
      '300ms',
      '--check-interval',
      '300ms',
    ];
    const result = await spawnCli(
      startArgs([
        ...args,
        '--metrics',
        `scrape:${app.metricsUrl}`,
        '--min-requests',
        '1000',
        '--inconclusive-limit',
        '3',
      ]),
      workspace.dir,
    ).done;

    expect(result.code).toBe(4);
    const checks = checksOf(result.stdout);
    expect(checks.map((check) => check.kind)).toEqual(['inconclusive', 'inconclusive', 'inconclusive']);
    expect(checks.every((check) => check.reasons.some((reason) => / requests < minimum 1000$/.test(reason)))).toBe(
      true,
    );
    expect(transitionsOf(result.stdout).map((entry) => [entry.event, entry.to.status, entry.to.percentage])).toEqual([
      ['start', 'running', 0],
      ['hold', 'running', 0],
      ['pause', 'paused', 0],
    ]);
    expect((await flagsOf(workspace))['phase_4_deployment']?.['rollout_percentage']).toBe(0);
  });
});
