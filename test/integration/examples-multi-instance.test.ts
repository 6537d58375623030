import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoReport } from '../../examples/multi-instance/demo.js';
import { compileExamples, requireBuiltCli, SHIPPED_FLAGS, type ExamplesBuild } from './examples-harness.js';

/*
 * `npm run demo` in a shortened form: stages of two seconds, checks every second. The demo runs as
 * the leader of its own process group, so that "nothing left behind" can be checked for the whole
 * group, and so that anything left after a failure is killed here.
 */

let build: ExamplesBuild;
let workDir: string;
let demo: ChildProcess | undefined;

beforeAll(async () => {
  requireBuiltCli();
  build = await compileExamples('demo');
  workDir = await mkdtemp(join(tmpdir(), 'genesis-demo-test-'));
}, 120_000);

afterAll(async () => {
  if (demo?.pid !== undefined && groupAlive(demo.pid)) process.kill(-demo.pid, 'SIGKILL');
  await build.cleanup();
  await rm(workDir, { recursive: true, force: true });
});

/** Whether any process of the group led by `pid` still exists (signal 0 checks without sending). */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function runDemo(args: readonly string[]): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [join(build.dir, 'multi-instance', 'run-demo.js'), ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demo = child;
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
  return { code, stdout };
}

describe('the multi-instance demo', () => {
  it('prints its options with --help and exits 0', async () => {
    const run = await runDemo(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run demo -- \[options\]\n/);
    expect(run.stdout).toContain('--steps <list>          rollout stages in percent (default: 5,25,50,100)');
  });

  it.each([
    [['--rate', 'fast'], /^error: --rate: expected a non-negative number, got "fast" \(see --help\)\n$/],
    [['--colour'], /^error: Unknown option '--colour'[^\n]* \(see --help\)\n$/],
  ])('refuses %j in one line with exit code 1, no stack trace', async (args, line) => {
    const run = await runDemo(args);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(line);
  });

  it('rolls phase_4_deployment back at its first stage on the cohort gate, says the global gate would have missed it, and leaves no process behind', async () => {
    const shippedBefore = await readFile(SHIPPED_FLAGS, 'utf8');
    const reportFile = join(workDir, 'report.json');
    // The latency gate is loosened: the suite shares the machine, and this run is about error rates.
    // The stage is long so that a starved machine, whose load generator sends fewer requests, still
    // reaches significance inside it; a healthy run rolls back after about ten seconds either way.
    const args = [
      ...['--steps', '5,100', '--step-duration', '100s', '--check-interval', '2s', '--fault-rate', '0.08'],
      ...['--rate', '240', '--min-requests', '20', '--max-p95-ms', '5000', '--report', reportFile],
    ];

    const { code, stdout } = await runDemo(args);
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as DemoReport;

    expect(code, stdout).toBe(0);
    expect(report.error).toBeNull();
    expect(report.faultsInjectedAtPercent).toBe(5);
    expect([report.outcome, report.deployExitCode, report.rolledBackAtPercent]).toEqual(['rolled_back', 3, 5]);
    expect(stdout).toMatch(/ROLLBACK 5% → 0%/);
    // 8% of the treatment's requests fail, none of control's; all traffic stays under the 1% limit.
    const view = report.atRollback;
    expect(view?.maxErrorRate).toBe(0.01);
    expect(view?.globalErrorRate).toBeLessThan(0.01);
    expect(view?.stageErrorRate).toBeLessThan(0.01);
    expect(view?.treatmentErrorRate).toBeGreaterThan(0.04);
    expect(view?.controlErrorRate).toBe(0);
    expect(stdout).toMatch(
      /^global error rate at the rollback: 0\.\d\d% \(0\.\d\d% over the stage\), limit 1\.00%, under it: the global gate alone would have missed it$/m,
    );
    expect(stdout).toMatch(
      /^cohorts at the rollback: treatment \d+\.\d\d% errors \(\d+ requests\) against control 0\.00%/m,
    );
    expect(report.afterRollback.map((instance) => [instance.instance, instance.phase4Users])).toEqual([
      ['instance 1', 0],
      ['instance 2', 0],
      ['instance 3', 0],
    ]);
    expect(report.loadAfterRollback?.byStatus['201']).toBeGreaterThan(0);
    expect(Object.keys(report.loadAfterRollback?.byStatus ?? {})).toEqual(['201']);
    expect(Object.keys(report.loadAfterRollback?.byPipeline ?? {})).toEqual(['phase-3']);

    expect(report.processes.map((exit) => [exit.name, exit.code, exit.signal])).toEqual([
      ['sync server', 0, null],
      ['instance 1', 0, null],
      ['instance 2', 0, null],
      ['instance 3', 0, null],
      ['deploy start', 3, null],
    ]);
    expect(report.processes.filter((exit) => alive(exit.pid))).toEqual([]);
    expect(groupAlive(demo?.pid ?? -1)).toBe(false);
    expect(existsSync(report.tempDir)).toBe(false);
    expect(await readFile(SHIPPED_FLAGS, 'utf8')).toBe(shippedBefore);
  }, 180_000);
});
