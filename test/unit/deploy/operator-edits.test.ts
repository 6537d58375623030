import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { DeploymentContext } from '../../../src/deploy/controller/deployment.js';
import { readJournal } from '../../../src/deploy/state/journal.js';
import type { MetricsSource } from '../../../src/deploy/metrics/metrics-reading.js';
import { openPlannedDeployment } from '../../../src/deploy/controller/open-deployment.js';
import { fileDeploymentStore } from '../../../src/deploy/persistence/file-deployment-store.js';
import { readState } from '../../../src/deploy/state/state-store.js';
import { writeFileAtomic } from '../../../src/system/write-file-atomic.js';
import { FakeClock } from '../../fixtures/deploy/fake-clock.js';
import { makeDeployWorkspace, servedFlags, type DeployWorkspace } from '../../fixtures/deploy/deploy-workspace.js';

/*
 * An operator edits the flag while the controller drives a rollout with a stage change every check:
 * 100 times, at a random moment each (during one of the first three stages, after a random delay of up to
 * 3 ms, so the edit lands before, during or after a health check in flight, or between the
 * controller's writes). Half the edits switch the flag off, half change its strategy by hand. The
 * controller's time is a fake clock; the files, the writes and the races between them are real.
 */

const TRIALS = 100;
const FLAG = 'phase_4_deployment';
const HOUR = 3_600_000;
const STEPS = Array.from({ length: 101 }, (_, index) => index);

/** A seeded generator, so a failing trial can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Healthy numbers, taking a little real time, as a scrape does. */
function slowHealthySource(random: () => number): MetricsSource {
  return {
    description: 'fake',
    read: async ({ nowMs, windowMs }) => {
      await delay(random() * 2);
      return {
        reading: {
          kind: 'measured',
          requests: 5000,
          errors: 0,
          errorRate: 0,
          p95Ms: 100,
          windowStartMs: nowMs - windowMs,
          windowEndMs: nowMs,
          source: 'fake',
        },
        baseline: null,
      };
    },
  };
}

interface TrialResult {
  readonly edit: 'off' | 'strategy';
  readonly fileKept: boolean;
  readonly served: unknown;
  readonly status: string;
  readonly lastEvent: string;
  readonly reason: string;
}

async function runTrial(workspace: DeployWorkspace, random: () => number): Promise<TrialResult> {
  const context: DeploymentContext = {
    store: fileDeploymentStore(workspace.stateFile),
    clock: new FakeClock(Date.parse('2026-01-01T00:00:00Z')),
    events: {},
    createSource: () => slowHealthySource(random),
    pollMs: HOUR,
  };
  const { deployment } = await openPlannedDeployment(context, 'test', {
    options: {
      flag: FLAG,
      configFile: workspace.flagFile,
      strategy: 'custom',
      steps: STEPS,
      stepDurationMs: HOUR,
      checkIntervalMs: HOUR,
      metrics: { kind: 'scrape', urls: ['http://fake/metrics'] },
    },
    acceptPlanChange: false,
    restart: false,
    defaultConfigFile: workspace.flagFile,
    statePath: workspace.stateFile,
  });
  const edit = random() < 0.5 ? 'off' : 'strategy';
  const afterStage = Math.floor(random() * 3);
  const operator = (async () => {
    while (((await readState(workspace.stateFile))?.stageIndex ?? 0) < afterStage) await delay(0);
    await delay(random() * 3);
    const text = await readFile(workspace.flagFile, 'utf8');
    const edited =
      edit === 'off'
        ? text.replace(
            '"enabled": true,\n            "description": "Phase 4',
            '"enabled": false,\n            "description": "Phase 4',
          )
        : text.replace('"rollout_strategy": "progressive"', '"rollout_strategy": "all_at_once"');
    await writeFileAtomic(workspace.flagFile, edited);
    return edited;
  })();
  const status = await deployment.run(new AbortController().signal);
  await deployment.close();
  const written = await operator;
  const served = (await servedFlags(workspace))[FLAG] ?? {};
  const last = (await readJournal(workspace.journalFile)).at(-1);
  return {
    edit,
    fileKept: (await readFile(workspace.flagFile, 'utf8')) === written,
    served: edit === 'off' ? served['enabled'] : served['rollout_strategy'],
    status,
    lastEvent: last?.event ?? 'none',
    reason: (last?.reason ?? '').replace(workspace.flagFile, '<flag file>').split(':')[0] ?? '',
  };
}

describe('an operator edit at any instant', () => {
  it(`is never overwritten by the rollout: it is served, and the rollout stops and says so (${TRIALS} edits)`, async () => {
    const seeds = Array.from({ length: TRIALS }, (_, trial) => 20261202 + trial);
    const results: TrialResult[] = [];
    // Twenty at a time, each in its own folder: the trials wait on disk writes, not on the processor.
    for (let batch = 0; batch < TRIALS; batch += 20) {
      const batchResults = await Promise.all(
        seeds.slice(batch, batch + 20).map(async (seed) => {
          const workspace = await makeDeployWorkspace();
          try {
            return await runTrial(workspace, mulberry32(seed));
          } finally {
            await workspace.cleanup();
          }
        }),
      );
      results.push(...batchResults);
    }
    const expected = results.map((result): TrialResult => ({
      edit: result.edit,
      fileKept: true,
      served: result.edit === 'off' ? false : 'all_at_once',
      status: result.edit === 'off' ? 'rolled_back' : 'paused',
      lastEvent: result.edit === 'off' ? 'rollback' : 'pause',
      reason: `flag ${FLAG} was changed by hand in <flag file>`,
    }));
    expect(results).toEqual(expected);
    expect(results.filter((result) => result.edit === 'off').length).toBeGreaterThan(30);
    expect(results.filter((result) => result.edit === 'strategy').length).toBeGreaterThan(30);
  }, 120_000);
});
