import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { DeploymentState, JournalEntry } from '../../src/deploy/state/deployment-state.js';
import { isProcessAlive } from '../../src/system/process-alive.js';
import { makeDeployWorkspace, servedFlags, type DeployWorkspace } from '../fixtures/deploy/deploy-workspace.js';
import { jsonLines, requireBuiltCli, runCli, spawnCli, waitForOutput } from '../fixtures/deploy/run-cli.js';
import { waitFor } from '../fixtures/wait-for.js';

/*
 * The controller as a process of its own: real CLI processes, real files, no terminal. Waits are
 * for conditions on the files (checked every 50 ms), never fixed sleeps.
 */

const FLAG = 'phase_4_deployment';

beforeAll(() => requireBuiltCli());

async function useWorkspace() {
  const workspace: DeployWorkspace = await makeDeployWorkspace();
  const pids: number[] = [];
  onTestFinished(async () => {
    for (const pid of pids) if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
    await workspace.cleanup();
  });
  // No --state anywhere: the commands and the controller find the deployment beside the flag file.
  const statePath = join(workspace.dir, 'feature_flags.deployment.json');
  const config = ['--config', workspace.flagFile];
  return {
    workspace,
    config,
    pids,
    statePath,
    deploy: (...args: string[]) => runCli(['deploy', ...args, ...config], workspace.dir),
    state: async () => JSON.parse(await readFile(statePath, 'utf8')) as DeploymentState,
    journal: async () =>
      (await readFile(join(workspace.dir, 'feature_flags.deployment.journal.jsonl'), 'utf8'))
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as JournalEntry),
  };
}

/** The pid a command names in `… pid 123 …`. */
function pidIn(text: string): number {
  const match = /pid (\d+)/.exec(text);
  if (match === null) throw new Error(`No pid in: ${text}`);
  return Number(match[1]);
}

describe('a rollout with no terminal attached', () => {
  it('--detach returns at once; pause, resume and promote reach the background controller; the rollout completes', async () => {
    const { deploy, pids, state, journal, workspace } = await useWorkspace();
    // Stages far longer than the test: the pause must find the rollout still running however slowly
    // the machine spawns the commands, and the promote, not the clock, completes it.
    const plan = ['--strategy', 'custom', '--steps', '0,50,100', '--step-duration', '10m'];
    const started = await deploy('start', '--flag', FLAG, ...plan, '--detach', '--json');
    expect(started.code).toBe(0);
    const note = jsonLines(started.stdout).find((line) => line['event'] === 'note');
    expect(note?.['message']).toMatch(
      /^handed to a controller started in the background, pid \d+ \(log: .*\.controller\.log\)$/,
    );
    pids.push(pidIn(String(note?.['message'])));

    const paused = await deploy('pause', '--reason', 'dashboards');
    expect(paused.code).toBe(0);
    expect((await state()).status).toBe('paused');
    // A background controller leaves once nothing runs; the resume then starts another.
    await waitFor('the first background controller to exit', async () => !isProcessAlive(pids[0] ?? 0));
    const resumed = await deploy('resume');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/driven by a controller started in the background, pid \d+/);
    pids.push(pidIn(resumed.stdout.slice(resumed.stdout.indexOf('driven by'))));
    const promoted = await deploy('promote', '--full');
    expect(promoted.code).toBe(0);

    // The journal is written after the state: wait for its last line.
    await waitFor('the rollout to complete', async () => (await journal()).at(-1)?.to.status === 'completed');
    expect((await journal()).map((entry) => [entry.event, entry.to.percentage])).toEqual([
      ['start', 0],
      ['pause', 0],
      ['resume', 0],
      ['promote', 100],
    ]);
    expect((await servedFlags(workspace))[FLAG]).toMatchObject({ enabled: true, rollout_percentage: 100 });
    // Each background controller leaves once nothing is running.
    await waitFor('the background controllers to exit', async () => pids.every((pid) => !isProcessAlive(pid)));
  }, 60_000);

  it('resumes under a second controller after the first is killed with SIGKILL mid-rollout', async () => {
    const { deploy, pids, state, journal, workspace, config } = await useWorkspace();
    const first = spawnCli(['controller', workspace.flagFile], workspace.dir);
    pids.push(first.child.pid ?? 0);
    await waitFor('the first controller to announce itself', async () => first.stderr().includes('watching'));
    const plan = ['--strategy', 'custom', '--steps', '0,25,50,75,100', '--step-duration', '700ms'];
    const started = await deploy('start', '--flag', FLAG, ...plan, '--detach');
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(`handed to the running controller, pid ${first.child.pid} `);

    await waitFor('stage 1', async () => (await state()).stageIndex >= 1);
    first.child.kill('SIGKILL');
    await first.done;
    const orphaned = JSON.parse((await deploy('status', '--json')).stdout) as {
      controller: { holder: unknown; staleHolder: { pid: number } | null; warning: string | null };
    };
    expect(orphaned.controller.holder).toBeNull();
    expect(orphaned.controller.warning).toMatch(/^the rollout is running but no controller drives it/);
    // Nothing moves a rollout with no controller: it is still running, its lock the dead one's.
    expect((await state()).status).toBe('running');
    expect(orphaned.controller.staleHolder?.pid).toBe(first.child.pid);

    const second = spawnCli(['controller', ...config.slice(1)], workspace.dir);
    pids.push(second.child.pid ?? 0);
    // The journal is written after the state: wait for its last line.
    await waitFor('the rollout to complete', async () => (await journal()).at(-1)?.event === 'complete');
    const entries = await journal();
    expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index + 1));
    expect(entries.map((entry) => `${entry.event} ${entry.to.percentage}`)).toEqual([
      'start 0',
      'advance 25',
      'advance 50',
      'advance 75',
      'complete 100',
    ]);
    expect((await servedFlags(workspace))[FLAG]).toMatchObject({ rollout_percentage: 100 });
    second.child.kill('SIGTERM');
    expect((await second.done).code).toBe(0);
  }, 60_000);

  it('deploy start follows the controller to the end; Ctrl-C stops following, not the rollout', async () => {
    const { deploy, pids, state, journal, workspace, config } = await useWorkspace();
    const controller = spawnCli(['controller', workspace.flagFile], workspace.dir);
    pids.push(controller.child.pid ?? 0);
    await waitFor('the controller to announce itself', async () => controller.stderr().includes('watching'));

    const followed = await deploy(
      'start',
      '--flag',
      FLAG,
      '--strategy',
      'custom',
      '--steps',
      '0,50,100',
      '--step-duration',
      '500ms',
      '--json',
    );
    expect(followed.code).toBe(0);
    const lines = jsonLines(followed.stdout);
    expect(lines.map((line) => line['event']).filter((event) => event !== 'check')).toEqual([
      'plan',
      'transition',
      'note',
      'transition',
      'transition',
      'result',
    ]);
    expect(lines.at(-1)).toMatchObject({ outcome: 'completed', exitCode: 0 });

    const slow = spawnCli(
      [
        'deploy',
        'start',
        '--flag',
        FLAG,
        ...config,
        '--restart',
        '--strategy',
        'fast',
        '--step-duration',
        '1h',
        '--json',
      ],
      workspace.dir,
    );
    await waitForOutput(slow, (stdout) => stdout.includes('"event":"note"'));
    slow.child.kill('SIGINT');
    const stopped = await slow.done;
    expect(stopped.code).toBe(0);
    expect(jsonLines(stopped.stdout).at(-1)).toMatchObject({
      event: 'note',
      message: expect.stringMatching(/^stopped following/),
    });
    const status = JSON.parse((await deploy('status', '--json')).stdout) as {
      state: DeploymentState;
      controller: { holder: { pid: number } | null };
    };
    expect(status.state.status).toBe('running');
    await waitFor(
      'the controller to take the restarted rollout',
      async () =>
        (JSON.parse((await deploy('status', '--json')).stdout) as typeof status).controller.holder?.pid ===
        controller.child.pid,
    );
    expect((await journal()).filter((entry) => entry.event === 'start')).toHaveLength(2);
    expect((await state()).plan.strategy).toBe('fast');
    controller.child.kill('SIGTERM');
    expect((await controller.done).code).toBe(0);
  }, 60_000);

  it('serve drives the rollouts of the files it serves; deploy status --watch shows each change', async () => {
    const { deploy, pids, journal, workspace, config } = await useWorkspace();
    const ports = [
      '--port',
      '0',
      '--sync-port',
      '0',
      '--ofrep-port',
      '0',
      '--management-port',
      '0',
      '--host',
      '127.0.0.1',
    ];
    const server = spawnCli(['serve', workspace.flagFile, ...ports], workspace.dir);
    pids.push(server.child.pid ?? 0);
    await waitFor(
      "the server's controller to announce itself",
      async () =>
        (await readdir(join(workspace.dir, 'feature_flags.deployment.json.controllers')).catch(() => [])).length > 0,
    );
    const watch = spawnCli(['deploy', 'status', '--watch', '--json', ...config], workspace.dir);
    pids.push(watch.child.pid ?? 0);

    const started = await deploy(
      'start',
      '--flag',
      FLAG,
      '--strategy',
      'custom',
      '--steps',
      '0,50,100',
      '--step-duration',
      '1s',
      '--detach',
    );
    expect(started.stdout).toContain(`handed to the running controller, pid ${server.child.pid} on host `);
    await waitFor('the rollout to complete', async () => (await journal()).at(-1)?.event === 'complete');
    await waitForOutput(watch, (stdout) => stdout.includes('"status":"completed"'));
    watch.child.kill('SIGINT');
    expect((await watch.done).code).toBe(0);
    const seen = jsonLines(watch.stdout()).flatMap((line) => {
      const shown = line['state'] as DeploymentState | null;
      return shown === null ? [] : [`${shown.status} ${shown.percentage}`];
    });
    // Running for two seconds, redrawn every second: it is seen running, then completed.
    expect(seen.some((line) => line.startsWith('running '))).toBe(true);
    expect(seen.at(-1)).toBe('completed 100');
    server.child.kill('SIGTERM');
    expect((await server.done).code).toBe(0);
  }, 60_000);

  it('refuses to roll out an emergency flag, or one that would reach nobody, without --force', async () => {
    const { deploy, workspace } = await useWorkspace();
    const emergency = await deploy('reconcile', '--flag', 'emergency_shutdown');
    expect(emergency.code).toBe(1);
    expect(emergency.stderr).toBe(
      'error: Refusing to roll out emergency_shutdown: emergency_shutdown is an emergency flag (category "emergency"): a gradual rollout would switch it on for a growing share of users; pass --force if this is what you mean\n',
    );
    const text = await readFile(workspace.flagFile, 'utf8');
    await writeFile(
      workspace.flagFile,
      text.replace(
        '"enabled": true,\n            "description": "Master switch',
        '"enabled": false,\n            "description": "Master switch',
      ),
    );
    const nobody = await deploy('reconcile', '--flag', 'aatc_system_enabled');
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain(
      'the rollout would reach nobody: aatc_system_enabled requires orchestration_enabled, which is off (enabled: false)',
    );
    expect((await deploy('reconcile', '--flag', 'aatc_system_enabled', '--force')).code).toBe(0);
  }, 30_000);
});
