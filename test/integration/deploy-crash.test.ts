import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentState, JournalEntry } from '../../src/deploy/state/deployment-state.js';
import { parseFlagFile } from '../../src/deploy/flags/flag-file.js';
import { parseState } from '../../src/deploy/state/state-store.js';
import { makeDeployWorkspace, type DeployWorkspace } from '../fixtures/deploy/deploy-workspace.js';
import { requireBuiltCli, runCli, spawnCli } from '../fixtures/deploy/run-cli.js';

/*
 * Crash safety: `kill -9` of the CLI at random points of a rollout. After every kill the flag
 * file and the state file must be readable, and running `deploy start` again must reach exactly
 * the end state of an uninterrupted run: the same flag file bytes, the same state, and a journal
 * with each transition once.
 */

const TRIALS = 20;
const PARALLEL = 2;
const SEED = 20251018;

const args = (workspace: DeployWorkspace): string[] => [
  'deploy',
  'start',
  '--flag',
  'phase_4_deployment',
  '--config',
  workspace.flagFile,
  '--state',
  workspace.stateFile,
  '--json',
  '--strategy',
  'custom',
  '--steps',
  '0,25,50,100',
  '--step-duration',
  '100ms',
  '--rollback-flags',
  'aatc_system_enabled',
];

interface EndState {
  readonly flagText: string;
  readonly transitions: readonly string[];
  readonly seqs: readonly number[];
  /** The plan hash is left out: it covers the flag file's path, which differs per workspace. */
  readonly state: Pick<DeploymentState, 'status' | 'stageIndex' | 'percentage' | 'applied' | 'seq'>;
}

async function endStateOf(workspace: DeployWorkspace): Promise<EndState> {
  const journal = (await readFile(workspace.journalFile, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as JournalEntry);
  const parsed = parseState(await readFile(workspace.stateFile, 'utf8'), workspace.stateFile);
  if (!parsed.ok) throw new Error(parsed.error);
  const { status, stageIndex, percentage, applied, seq } = parsed.value;
  return {
    flagText: await readFile(workspace.flagFile, 'utf8'),
    transitions: journal.map((entry) => `${entry.event} ${entry.to.status} ${entry.to.percentage}%`),
    seqs: journal.map((entry) => entry.seq),
    state: { status, stageIndex, percentage, applied, seq },
  };
}

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let value = seed;
  return () => {
    value = (value + 0x6d2b79f5) | 0;
    let t = Math.imul(value ^ (value >>> 15), 1 | value);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Where to kill: after the n-th output line (0: right after spawn) plus 0–120 ms. */
interface KillPoint {
  readonly afterLines: number;
  readonly extraMs: number;
}

async function killAt(workspace: DeployWorkspace, point: KillPoint): Promise<void> {
  const cli = spawnCli(args(workspace), workspace.dir);
  const lines = (): number => cli.stdout().split('\n').length - 1;
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (lines() >= point.afterLines || cli.child.exitCode !== null) {
        clearInterval(poll);
        resolve();
      }
    }, 2);
  });
  await new Promise((resolve) => setTimeout(resolve, point.extraMs));
  cli.child.kill('SIGKILL');
  await cli.done;
}

describe('deploy start killed with SIGKILL at random points', () => {
  let reference: EndState;
  const workspaces: DeployWorkspace[] = [];

  beforeAll(async () => {
    requireBuiltCli();
    const workspace = await makeDeployWorkspace();
    workspaces.push(workspace);
    const result = await runCli(args(workspace), workspace.dir);
    if (result.code !== 0) throw new Error(`the uninterrupted run failed: ${result.stderr}`);
    reference = await endStateOf(workspace);
  });

  afterAll(async () => {
    await Promise.all(workspaces.map((workspace) => workspace.cleanup()));
  });

  it('the uninterrupted run goes 0 → 25 → 50 → 100% and records each transition once', () => {
    expect(reference.transitions).toEqual([
      'start running 0%',
      'advance running 25%',
      'advance running 50%',
      'complete completed 100%',
    ]);
    expect(reference.seqs).toEqual([1, 2, 3, 4]);
    expect(reference.state).toMatchObject({
      status: 'completed',
      stageIndex: 3,
      percentage: 100,
      applied: true,
      seq: 4,
    });
  });

  it(`never leaves an unreadable file and always resumes to the same end state (${TRIALS} kills, seed ${SEED})`, async () => {
    const next = random(SEED);
    const points: KillPoint[] = Array.from({ length: TRIALS }, () => ({
      afterLines: Math.floor(next() * 8),
      extraMs: Math.floor(next() * 120),
    }));
    const seenAfterKill: string[] = [];
    const runTrial = async (point: KillPoint): Promise<void> => {
      const workspace = await makeDeployWorkspace();
      workspaces.push(workspace);
      await killAt(workspace, point);

      const flagText = await readFile(workspace.flagFile, 'utf8');
      expect(parseFlagFile(workspace.flagFile, flagText).ok, `flag file after kill at ${JSON.stringify(point)}`).toBe(
        true,
      );
      const stateText = await readFile(workspace.stateFile, 'utf8').catch(() => undefined);
      const state = stateText === undefined ? undefined : parseState(stateText, workspace.stateFile);
      expect(state === undefined || state.ok, `state file after kill at ${JSON.stringify(point)}`).toBe(true);
      seenAfterKill.push(state?.ok === true ? state.value.status : 'no state');

      const resumed = await runCli(args(workspace), workspace.dir);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(await endStateOf(workspace)).toEqual(reference);
    };
    for (let index = 0; index < points.length; index += PARALLEL) {
      await Promise.all(points.slice(index, index + PARALLEL).map(runTrial));
    }
    // The kills must have landed both before the state existed and in the middle of the rollout.
    expect(seenAfterKill).toContain('running');
    expect(seenAfterKill.length).toBe(TRIALS);
  }, 120_000);
});
