import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { DeploymentState, JournalEntry } from '../../src/deploy/state/deployment-state.js';
import { makeDeployWorkspace, servedFlags, type DeployWorkspace } from '../fixtures/deploy/deploy-workspace.js';
import {
  CLI_PATH,
  jsonLines,
  requireBuiltCli,
  runCli,
  spawnCli,
  waitForOutput,
  type CliProcess,
  type CliResult,
} from '../fixtures/deploy/run-cli.js';

/* Every deploy command and error path, run through the built binary as a user would. */

const FLAG = 'phase_4_deployment';
const SLOW_PLAN = ['--strategy', 'custom', '--steps', '0,50,100', '--step-duration', '1h'];

beforeAll(() => requireBuiltCli());

/** A fresh workspace for one test, with the CLI bound to it; removed (and its processes killed) after the test. */
async function useWorkspace() {
  const workspace: DeployWorkspace = await makeDeployWorkspace();
  const background: CliProcess[] = [];
  onTestFinished(async () => {
    for (const cli of background) cli.child.kill('SIGKILL');
    await Promise.all(background.map((cli) => cli.done));
    await workspace.cleanup();
  });
  const files = ['--config', workspace.flagFile, '--state', workspace.stateFile];
  return {
    workspace,
    files,
    state: ['--state', workspace.stateFile],
    deploy: (...args: string[]): Promise<CliResult> => runCli(['deploy', ...args], workspace.dir),
    /** The flags as served: the people's file with the rollout layer on top. */
    flags: async () => servedFlags(workspace),
    stored: async () => JSON.parse(await readFile(workspace.stateFile, 'utf8')) as DeploymentState,
    /** A foreground `deploy start` left running, once it holds the lock and the flag file is at its stage. */
    startInBackground: async (extra: readonly string[] = SLOW_PLAN): Promise<CliProcess> => {
      const cli = spawnCli(['deploy', 'start', '--flag', FLAG, ...files, '--json', ...extra], workspace.dir);
      background.push(cli);
      await waitForOutput(cli, (stdout) => stdout.includes('"event":"plan"'));
      return cli;
    },
  };
}

describe('deploy: usage and configuration errors exit 1', () => {
  it.each([
    [['start', ...SLOW_PLAN], 'error: deploy start needs --flag <key>\n'],
    [
      ['start', '--flag', FLAG, '--step-duration', '10'],
      `error: option '--step-duration <duration>' argument '10' is invalid. invalid duration "10" at "10" (add a unit: ms, s, m, h or d)\n`,
    ],
    [
      ['start', '--flag', FLAG, '--steps', '0,50,40'],
      `error: option '--steps <list>' argument '0,50,40' is invalid. steps must increase: 50 is followed by 40 (expected increasing percentages like 0,5,25,100)\n`,
    ],
    [
      ['start', '--flag', FLAG, '--steps', '0'],
      `error: option '--steps <list>' argument '0' is invalid. the last step must be above 0%: a rollout that ends at 0% turns nobody on (expected increasing percentages like 0,5,25,100)\n`,
    ],
    [
      ['start', '--flag', FLAG, '--step-duration', '5x'],
      `error: option '--step-duration <duration>' argument '5x' is invalid. invalid duration "5x" at "5x" (expected a number and a unit, ms, s, m, h or d, such as 30s, 24h or 1h30m)\n`,
    ],
    [
      ['start', '--flag', FLAG, '--strategy', 'slow'],
      `error: option '--strategy <name>' argument 'slow' is invalid. Allowed choices are safe, fast, instant, custom.\n`,
    ],
    [
      ['start', '--flag', FLAG, '--max-p95-ms', 'abc'],
      `error: option '--max-p95-ms <ms>' argument 'abc' is invalid. expected milliseconds such as 500, or "off", got "abc"\n`,
    ],
    [
      ['start', '--flag', FLAG, '--rollback-flags', 'aatc_system_enabled,ghost'],
      'error: Flag not found: ghost in <flag file>\n',
    ],
    [
      ['start', '--flag', 'aatc_sytem_enabled'],
      'error: Flag not found: aatc_sytem_enabled (did you mean "aatc_system_enabled"?) in <flag file>\n',
    ],
  ])('deploy %j', async (args, message) => {
    const { deploy, files, workspace } = await useWorkspace();
    const result = await deploy(...args, ...files);

    expect(result.code).toBe(1);
    // One line, never the whole usage.
    expect(result.stderr.replace(workspace.flagFile, '<flag file>')).toBe(message);
  });

  it('names a missing flag file, with exit code 2 as validate, list and eval give it', async () => {
    const { deploy, workspace, state } = await useWorkspace();
    const result = await deploy('start', '--flag', FLAG, '--config', `${workspace.dir}/missing.json`, ...state);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: Flag file not found: ${workspace.dir}/missing.json\n`);
  });

  it('gives exit code 2 for a flag file that does not parse, as validate does', async () => {
    const { deploy, workspace, state } = await useWorkspace();
    const broken = `${workspace.dir}/broken.json`;
    await writeFile(broken, '{ "flags": ');
    const result = await deploy('start', '--flag', FLAG, '--config', broken, ...state);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Flag file is not valid JSON: .*broken\.json:1:\d+: /);
  });

  it('lists every deploy command in its help, with exit 0', async () => {
    const { deploy } = await useWorkspace();
    const result = await deploy('--help');

    expect(result.code).toBe(0);
    for (const command of ['start', 'reconcile', 'status', 'history', 'pause', 'resume', 'promote', 'rollback']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command} \\[options\\]`, 'm'));
    }
  });
});

describe('deploy: state and lock problems exit 2', () => {
  it.each([['status'], ['pause'], ['reconcile']])('deploy %s without a deployment', async (command) => {
    const { deploy, state } = await useWorkspace();
    const result = await deploy(command, ...state);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: No deployment (state|in progress)/);
  });

  it('refuses a state file that is not JSON', async () => {
    const { deploy, files, workspace } = await useWorkspace();
    await writeFile(workspace.stateFile, '{"version": 1, "id": ');
    const result = await deploy('start', '--flag', FLAG, ...files);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Deployment state is not valid JSON: .*deployment_state\.json/);
  });

  it('stops a second deploy start, naming the holder of the lock', async () => {
    const { deploy, files, startInBackground } = await useWorkspace();
    const first = await startInBackground();
    const second = await deploy('start', '--flag', FLAG, ...files, ...SLOW_PLAN);

    expect(second.code).toBe(2);
    expect(second.stderr).toContain(
      `Deployment is locked by pid ${first.child.pid} on host ${hostname()} (deploy start)`,
    );
  });

  it('takes over the stale lock of a dead process with a warning', async () => {
    const { deploy, files, workspace } = await useWorkspace();
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const pid = Number(dead.stdout.trim());
    const holder = { pid, host: hostname(), since: '2025-10-18T00:00:00.000Z', command: 'deploy start', token: 'gone' };
    await writeFile(`${workspace.stateFile}.lock`, JSON.stringify(holder));
    const result = await deploy('start', '--flag', FLAG, ...files, '--strategy', 'instant');

    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `warning: took over the stale lock of pid ${pid} on host ${hostname()} (deploy start) since 2025-10-18T00:00:00.000Z (that process is gone)\n`,
    );
  });

  it('stops on SIGTERM with exit 4, and refuses a changed plan on resume unless --accept-plan-change', async () => {
    const { deploy, files, startInBackground, stored } = await useWorkspace();
    const first = await startInBackground();
    first.child.kill('SIGTERM');
    expect((await first.done).code).toBe(4);

    const changed = await deploy('start', '--flag', FLAG, ...files, '--steps', '0,25,100');
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain('steps: [0,50,100] → [0,25,100]');
    expect(changed.stderr).toContain('pass --accept-plan-change');

    const accepted = await deploy('reconcile', ...files, '--steps', '0,25,100', '--accept-plan-change', '--json');
    expect(accepted.code).toBe(0);
    const entry = jsonLines(accepted.stdout).find((line) => line['event'] === 'transition')?.['entry'] as JournalEntry;
    expect(entry.event).toBe('plan-change');
    expect((await stored()).plan.steps).toEqual([0, 25, 100]);
  });

  it('refuses to deploy another flag over a running deployment', async () => {
    const { deploy, files } = await useWorkspace();
    await deploy('reconcile', '--flag', FLAG, ...files, ...SLOW_PLAN);
    const other = await deploy('start', '--flag', 'aatc_system_enabled', ...files, '--strategy', 'instant');

    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(
      /holds the running deployment of phase_4_deployment; finish or roll it back before deploying aatc_system_enabled/,
    );
  });
});

describe('deploy: the life of a deployment', () => {
  it('pauses, resumes, promotes, completes and rolls back, journalling each step with who did it', async () => {
    const { deploy, state, flags, startInBackground } = await useWorkspace();
    const controller = await startInBackground();

    const paused = await deploy('pause', ...state, '--reason', 'checking dashboards');
    expect(paused.code).toBe(0);
    expect(paused.stdout).toMatch(/^paused by .*: checking dashboards \(applied by the running controller, pid \d+/);
    expect((await controller.done).code).toBe(4);

    expect((await deploy('resume', ...state)).code).toBe(0);
    const promoted = await deploy('promote', ...state, '--json');
    expect(promoted.code).toBe(0);
    expect(jsonLines(promoted.stdout)[0]).toMatchObject({
      action: 'promote',
      outcome: { applied: true },
      state: { percentage: 50 },
    });
    expect((await flags())[FLAG]?.['rollout_percentage']).toBe(50);

    const resumed = await startInBackground();
    expect((await deploy('promote', '--full', ...state)).code).toBe(0);
    expect((await resumed.done).code).toBe(0);
    expect((await flags())[FLAG]).toMatchObject({ enabled: true, rollout_percentage: 100 });

    expect((await deploy('rollback', ...state, '--reason', 'error budget')).code).toBe(0);
    expect((await flags())[FLAG]).toMatchObject({ enabled: false, rollout_percentage: 0 });

    const entries = JSON.parse((await deploy('history', ...state, '--json')).stdout) as JournalEntry[];
    expect(entries.map((entry) => `${entry.seq} ${entry.event} ${entry.to.percentage}`)).toEqual([
      '1 start 0',
      '2 pause 0',
      '3 resume 0',
      '4 promote 50',
      '5 promote 100',
      '6 rollback 0',
    ]);
    expect(entries[5]?.reason).toMatch(/^manual rollback by .*: error budget$/);
    const text = (await deploy('history', ...state)).stdout.trim().split('\n');
    expect(text[0]).toBe(`${entries[0]?.deployment}:`);
    expect(text.slice(1).map((line) => line.split(/\s+/)[2])).toEqual([
      'start',
      'pause',
      'resume',
      'promote',
      'promote',
      'rollback',
    ]);
  }, 60_000);

  it('refuses to promote or resume a rolled-back deployment, and start reports it with exit 3', async () => {
    const { deploy, files, state, stored } = await useWorkspace();
    await deploy('reconcile', '--flag', FLAG, ...files, ...SLOW_PLAN);
    await deploy('rollback', ...state);

    const promote = await deploy('promote', ...state);
    expect(promote.code).toBe(2);
    expect(promote.stderr).toMatch(/^error: Cannot promote deployment phase_4_deployment@.*: it is rolled back\n$/);
    expect((await deploy('start', '--flag', FLAG, ...files)).code).toBe(3);

    const restarted = await deploy('start', '--flag', FLAG, ...files, '--strategy', 'instant', '--restart');
    expect(restarted.code).toBe(0);
    expect((await stored()).status).toBe('completed');
  }, 60_000);

  it('reconciles idempotently while the stage is not yet due', async () => {
    const { deploy, files, state, workspace } = await useWorkspace();
    expect((await deploy('reconcile', '--flag', FLAG, ...files, ...SLOW_PLAN)).code).toBe(0);
    const before = [await readFile(workspace.stateFile, 'utf8'), await readFile(workspace.flagFile, 'utf8')];
    const again = await deploy('reconcile', ...state);
    const after = [await readFile(workspace.stateFile, 'utf8'), await readFile(workspace.flagFile, 'utf8')];

    expect(again.code).toBe(0);
    expect(after).toEqual(before);
  }, 60_000);

  it('reconciles to completion once the stage time has passed', async () => {
    const { deploy, files, state, stored } = await useWorkspace();
    const plan = ['--strategy', 'custom', '--steps', '0,100', '--step-duration', '300ms'];
    expect((await deploy('reconcile', '--flag', FLAG, ...files, ...plan)).code).toBe(0);
    // The CLI reads the system clock: nothing to await but the stage's end, counted from when the stage
    // was entered (a busy machine can take longer than the stage to start the CLI).
    const dueAt = Date.parse((await stored()).stageEnteredAt) + 300;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt + 50 - Date.now())));
    const finished = await deploy('reconcile', ...state, '--json');

    expect(finished.code).toBe(0);
    expect(jsonLines(finished.stdout).at(-1)).toMatchObject({ event: 'result', outcome: 'completed', exitCode: 0 });
    expect((await deploy('start', '--flag', FLAG, ...files)).code).toBe(0);
  }, 60_000);

  it('prints the plan with stage times and detection bounds first, and shows status as text and JSON', async () => {
    const { deploy, files, state, stored } = await useWorkspace();
    const started = await deploy(
      'reconcile',
      '--flag',
      FLAG,
      ...files,
      '--strategy',
      'safe',
      '--metrics',
      'scrape:http://127.0.0.1:1/metrics',
    );
    const lines = started.stdout.split('\n');

    expect(lines[0]).toMatch(/^Starting: phase_4_deployment@/);
    expect(lines[2]).toBe('  strategy safe: 0% → 5% → 10% → 25% → 50% → 75% → 100%, each held 1d');
    expect(lines.filter((line) => /^ {2}(now | {4}) stage \d/.test(line))).toHaveLength(7);
    expect(started.stdout).toContain('error rate > 5% rolls back at the next check (within 1m)');
    expect(started.stdout).toContain('2 failed checks in a row roll back (within 2m of a sustained breach)');
    const startedAt = Date.parse((await stored()).startedAt);
    expect(started.stdout).toContain(`earliest completion ${new Date(startedAt + 6 * 86_400_000).toISOString()}`);

    const text = await deploy('status', ...state);
    expect(text.stdout).toMatch(
      /^phase_4_deployment@\S+: running\n {2}phase_4_deployment stage 0\/6 0% running {2}next stage in (1d|23h \d+m)/,
    );
    expect(text.stdout).toContain('controller: none running');
    const json = await deploy('status', ...state, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      state: { status: 'running', percentage: 0, plan: { strategy: 'safe' } },
      controller: { holder: null, controllers: [] },
    });
    expect(text.stdout).toContain('warning: the rollout is running but no controller drives it');
  }, 60_000);

  const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!hasScript)('draws a live progress line on a terminal (run under script(1) for a pty)', async () => {
    const { files, workspace } = await useWorkspace();
    const command = `${process.execPath} ${CLI_PATH} deploy start --flag ${FLAG} ${files.join(' ')} --strategy custom --steps 0,100 --step-duration 1500ms`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: workspace.dir, encoding: 'utf8' });

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      // eslint-disable-next-line no-control-regex -- the terminal's erase-line sequence is what is checked
      /\r\u001b\[2Kphase_4_deployment stage 0\/1 0% running {2}next stage in \d+(\.\d)?m?s, next check in /,
    );
    // eslint-disable-next-line no-control-regex -- as above
    expect(result.stdout).toMatch(/\r\u001b\[2Kcompleted: phase_4_deployment at 100% \(stage 1\/1\)/);
  });
});
