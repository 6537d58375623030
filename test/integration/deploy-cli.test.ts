import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentState, JournalEntry } from '../../src/deploy/deployment-state.js';
import { makeDeployWorkspace, type DeployWorkspace } from '../fixtures/deploy/deploy-workspace.js';
import { CLI_PATH, jsonLines, requireBuiltCli, runCli, spawnCli, waitForOutput, type CliProcess } from '../fixtures/deploy/run-cli.js';

/* Every deploy command and error path, run through the built binary as a user would. */

let workspace: DeployWorkspace;
const running: CliProcess[] = [];

beforeAll(() => requireBuiltCli());

afterEach(async () => {
  for (const cli of running.splice(0)) {
    cli.child.kill('SIGKILL');
    await cli.done;
  }
  await workspace?.cleanup();
});

const FLAG = 'phase_4_deployment';
const files = (): string[] => ['--config', workspace.flagFile, '--state', workspace.stateFile];
const deploy = (...args: string[]) => runCli(['deploy', ...args], workspace.dir);
const slowPlan = ['--strategy', 'custom', '--steps', '0,50,100', '--step-duration', '1h'];

async function flags(): Promise<Record<string, Record<string, unknown>>> {
  return (JSON.parse(await readFile(workspace.flagFile, 'utf8')) as { flags: Record<string, Record<string, unknown>> }).flags;
}

async function state(): Promise<DeploymentState> {
  return JSON.parse(await readFile(workspace.stateFile, 'utf8')) as DeploymentState;
}

/** A foreground `deploy start` left running, once it has applied its first stage. */
async function startInBackground(extra: readonly string[] = slowPlan): Promise<CliProcess> {
  const cli = spawnCli(['deploy', 'start', '--flag', FLAG, ...files(), '--json', ...extra], workspace.dir);
  running.push(cli);
  await waitForOutput(cli, (stdout) => stdout.includes('"event":"transition"'));
  return cli;
}

describe('deploy: usage and configuration errors exit 1', () => {
  it.each([
    [['start', ...slowPlan], /deploy start needs --flag <key>/],
    [['start', '--flag', FLAG, '--step-duration', '10'], /invalid duration "10" at "10" \(add a unit: ms, s, m, h or d\)/],
    [['start', '--flag', FLAG, '--strategy', 'bold'], /argument 'bold' is invalid. Allowed choices are safe, fast, instant, custom/],
    [['start', '--flag', FLAG, '--steps', '0,50,40'], /steps must increase: 50 is followed by 40/],
    [['start', '--flag', FLAG, '--strategy', 'safe', '--steps', '0,100'], /--steps needs --strategy custom/],
    [['start', '--flag', FLAG, '--metrics', 'graphite:http://x'], /unknown metrics source "graphite:http:\/\/x"/],
    [['start', '--flag', FLAG, '--max-error-rate', '5'], /--max-error-rate 5 must be above 0 and at most 1/],
    [['start', '--flag', 'no_such_flag'], /Flag not found: no_such_flag in /],
    [['start', '--flag', FLAG, '--rollback-flags', 'aatc_system_enabled,ghost'], /Flag not found: ghost in /],
  ])('deploy %j', async (args, message) => {
    workspace = await makeDeployWorkspace();
    const result = await deploy(...args, ...files());

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it('names a missing flag file', async () => {
    workspace = await makeDeployWorkspace();
    const result = await deploy('start', '--flag', FLAG, '--config', `${workspace.dir}/missing.json`, '--state', workspace.stateFile);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: Flag file not found: ${workspace.dir}/missing.json\n`);
  });

  it('prints help for every command with exit 0', async () => {
    workspace = await makeDeployWorkspace();
    for (const command of ['start', 'reconcile', 'status', 'pause', 'resume', 'promote', 'rollback', 'history']) {
      const result = await deploy(command, '--help');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: genesis-flags deploy ${command} \\[options\\]`));
    }
  });
});

describe('deploy: state and lock problems exit 2', () => {
  it.each([['status'], ['pause'], ['resume'], ['promote'], ['rollback'], ['reconcile']])('deploy %s without a deployment', async (command) => {
    workspace = await makeDeployWorkspace();
    const result = await deploy(command, '--state', workspace.stateFile);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: No deployment (state|in progress)/);
  });

  it('refuses a state file that is not JSON', async () => {
    workspace = await makeDeployWorkspace();
    await writeFile(workspace.stateFile, '{"version": 1, "id": ');
    const result = await deploy('start', '--flag', FLAG, ...files());

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Deployment state is not valid JSON: .*deployment_state\.json/);
  });

  it('stops a second deploy start, naming the holder of the lock', async () => {
    workspace = await makeDeployWorkspace();
    const first = await startInBackground();
    const second = await deploy('start', '--flag', FLAG, ...files(), ...slowPlan);

    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`Deployment is locked by pid ${first.child.pid} on host ${hostname()} (deploy start)`);
  });

  it('takes over the stale lock of a dead process with a warning', async () => {
    workspace = await makeDeployWorkspace();
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const pid = Number(dead.stdout.trim());
    await writeFile(`${workspace.stateFile}.lock`, JSON.stringify({ pid, host: hostname(), since: '2025-10-18T00:00:00.000Z', command: 'deploy start', token: 'gone' }));
    const result = await deploy('start', '--flag', FLAG, ...files(), '--strategy', 'instant');

    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`warning: took over the stale lock of pid ${pid} on host ${hostname()} (deploy start) since 2025-10-18T00:00:00.000Z (that process is gone)\n`);
  });

  it('refuses a changed plan on resume unless --accept-plan-change', async () => {
    workspace = await makeDeployWorkspace();
    const first = await startInBackground();
    first.child.kill('SIGTERM');
    expect((await first.done).code).toBe(4);

    const changed = await deploy('start', '--flag', FLAG, ...files(), '--steps', '0,25,100');
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain('steps: [0,50,100] → [0,25,100]');
    expect(changed.stderr).toContain('pass --accept-plan-change');

    const accepted = await deploy('reconcile', ...files(), '--steps', '0,25,100', '--accept-plan-change', '--json');
    expect(accepted.code).toBe(0);
    const entry = jsonLines(accepted.stdout).find((line) => line['event'] === 'transition')?.['entry'] as JournalEntry;
    expect(entry.event).toBe('plan-change');
    expect((await state()).plan.steps).toEqual([0, 25, 100]);
  });

  it('refuses to deploy another flag over a running deployment', async () => {
    workspace = await makeDeployWorkspace();
    await deploy('reconcile', '--flag', FLAG, ...files(), ...slowPlan);
    const other = await deploy('start', '--flag', 'aatc_system_enabled', ...files(), '--strategy', 'instant');

    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/holds the running deployment of phase_4_deployment; finish or roll it back before deploying aatc_system_enabled/);
  });
});

describe('deploy: the life of a deployment', () => {
  it('pauses, resumes, promotes, completes and rolls back, journalling each step with who did it', async () => {
    workspace = await makeDeployWorkspace();
    const controller = await startInBackground();

    const paused = await deploy('pause', '--state', workspace.stateFile, '--reason', 'checking dashboards');
    expect(paused.code).toBe(0);
    expect(paused.stdout).toMatch(/^paused by .*: checking dashboards \(applied by the running controller, pid \d+/);
    expect((await controller.done).code).toBe(4);

    expect((await deploy('resume', '--state', workspace.stateFile)).code).toBe(0);
    const promoted = await deploy('promote', '--state', workspace.stateFile, '--json');
    expect(promoted.code).toBe(0);
    expect(jsonLines(promoted.stdout)[0]).toMatchObject({ action: 'promote', outcome: { applied: true }, state: { percentage: 50 } });
    expect((await flags())[FLAG]?.['rollout_percentage']).toBe(50);

    const resumed = await startInBackground();
    expect((await deploy('promote', '--full', '--state', workspace.stateFile)).code).toBe(0);
    expect((await resumed.done).code).toBe(0);
    expect((await flags())[FLAG]).toMatchObject({ enabled: true, rollout_percentage: 100 });

    const rolledBack = await deploy('rollback', '--state', workspace.stateFile, '--reason', 'error budget');
    expect(rolledBack.code).toBe(0);
    expect((await flags())[FLAG]).toMatchObject({ enabled: false, rollout_percentage: 0 });

    const history = await deploy('history', '--state', workspace.stateFile, '--json');
    const entries = JSON.parse(history.stdout) as JournalEntry[];
    expect(entries.map((entry) => `${entry.event} ${entry.to.percentage}`)).toEqual([
      'start 0', 'pause 0', 'resume 0', 'promote 50', 'promote 100', 'rollback 0',
    ]);
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(entries[5]?.reason).toMatch(/^manual rollback by .*: error budget$/);
    const text = await deploy('history', '--state', workspace.stateFile);
    expect(text.stdout.trim().split('\n')).toHaveLength(6);
  });

  it('refuses to promote or resume a rolled-back deployment, and start reports it with exit 3', async () => {
    workspace = await makeDeployWorkspace();
    await deploy('reconcile', '--flag', FLAG, ...files(), ...slowPlan);
    await deploy('rollback', '--state', workspace.stateFile);

    const promote = await deploy('promote', '--state', workspace.stateFile);
    expect(promote.code).toBe(2);
    expect(promote.stderr).toMatch(/^error: Cannot promote deployment phase_4_deployment@.*: it is rolled back\n$/);
    expect((await deploy('resume', '--state', workspace.stateFile)).code).toBe(2);
    expect((await deploy('start', '--flag', FLAG, ...files())).code).toBe(3);

    const restarted = await deploy('start', '--flag', FLAG, ...files(), '--strategy', 'instant', '--restart');
    expect(restarted.code).toBe(0);
    expect((await state()).status).toBe('completed');
  });

  it('reconciles idempotently: a tick with nothing due changes nothing', async () => {
    workspace = await makeDeployWorkspace();
    expect((await deploy('reconcile', '--flag', FLAG, ...files(), ...slowPlan)).code).toBe(0);
    const before = [await readFile(workspace.stateFile, 'utf8'), await readFile(workspace.flagFile, 'utf8')];
    const again = await deploy('reconcile', '--state', workspace.stateFile);

    expect(again.code).toBe(0);
    expect([await readFile(workspace.stateFile, 'utf8'), await readFile(workspace.flagFile, 'utf8')]).toEqual(before);
  });

  it('reconciles to completion once the stage time has passed', async () => {
    workspace = await makeDeployWorkspace();
    const plan = ['--strategy', 'custom', '--steps', '0,100', '--step-duration', '1s'];
    expect((await deploy('reconcile', '--flag', FLAG, ...files(), ...plan)).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const finished = await deploy('reconcile', '--state', workspace.stateFile, '--json');

    expect(finished.code).toBe(0);
    expect(jsonLines(finished.stdout).at(-1)).toMatchObject({ event: 'result', outcome: 'completed', exitCode: 0 });
    expect((await deploy('start', '--flag', FLAG, ...files())).code).toBe(0);
  });

  it('prints the plan with stage times and the detection bounds before it starts', async () => {
    workspace = await makeDeployWorkspace();
    const result = await deploy('reconcile', '--flag', FLAG, ...files(), '--strategy', 'safe', '--metrics', 'scrape:http://127.0.0.1:1/metrics');
    const lines = result.stdout.split('\n');

    expect(lines[2]).toBe('  strategy safe: 0% → 5% → 10% → 25% → 50% → 75% → 100%, each held 1d');
    expect(lines.filter((line) => /^ {2}(now |done| {4}) stage \d/.test(line))).toHaveLength(7);
    expect(result.stdout).toContain('error rate > 5% rolls back at the next check (within 1m)');
    expect(result.stdout).toContain('2 failed checks in a row roll back (within 2m of a sustained breach)');
    const startedAt = Date.parse((await state()).startedAt);
    expect(result.stdout).toContain(`earliest completion ${new Date(startedAt + 6 * 86_400_000).toISOString()}`);
  });

  it('shows status as text and as JSON', async () => {
    workspace = await makeDeployWorkspace();
    await deploy('reconcile', '--flag', FLAG, ...files(), ...slowPlan);
    const text = await deploy('status', '--state', workspace.stateFile);
    const json = await deploy('status', '--state', workspace.stateFile, '--json');

    expect(text.stdout).toMatch(/^phase_4_deployment@\S+: running\n {2}phase_4_deployment stage 0\/2 0% running {2}next stage in (1h|59m \d+s)/);
    expect(text.stdout).toContain('controller: none running');
    expect(JSON.parse(json.stdout)).toMatchObject({ state: { status: 'running', percentage: 0 }, controller: null });
  });

  it('draws a live progress line on a terminal', async () => {
    workspace = await makeDeployWorkspace();
    const command = `${process.execPath} ${CLI_PATH} deploy start --flag ${FLAG} ${files().join(' ')} --strategy custom --steps 0,100 --step-duration 1500ms`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: workspace.dir, encoding: 'utf8' });

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('\r\x1b[2Kphase_4_deployment stage 0/1 0% running  next stage in 1s');
  });
});
