import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueRequest } from '../../../src/deploy/requests/request-inbox.js';
import type { DeploymentContext, DeploymentEvents } from '../../../src/deploy/controller/deployment.js';
import type { DeploymentState, JournalEntry } from '../../../src/deploy/state/deployment-state.js';
import { readJournal } from '../../../src/deploy/state/journal.js';
import type { MetricsReading, MetricsSource } from '../../../src/deploy/metrics/metrics-reading.js';
import { openPlannedDeployment } from '../../../src/deploy/controller/open-deployment.js';
import { runControlCommand } from '../../../src/deploy/controller/control-command.js';
import type { DeploymentStore } from '../../../src/deploy/persistence/deployment-store.js';
import type { PlanOptions } from '../../../src/deploy/controller/resolve-deployment.js';
import { fileDeploymentStore } from '../../../src/deploy/persistence/file-deployment-store.js';
import type { FleetAccess } from '../../../src/deploy/persistence/fleet-delivery.js';
import { deploymentPaths, readState, writeState } from '../../../src/deploy/state/state-store.js';
import { FakeClock } from '../../fixtures/deploy/fake-clock.js';
import { makeDeployWorkspace, servedFlags, type DeployWorkspace } from '../../fixtures/deploy/deploy-workspace.js';

/*
 * The controller at fixed instants: a fake clock that moves only when the controller sleeps, a
 * scripted metrics source, and real files in a temp dir.
 */

const START = Date.parse('2025-10-18T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let workspace: DeployWorkspace;
let clock: FakeClock;
let warnings: string[];

beforeEach(async () => {
  workspace = await makeDeployWorkspace();
  clock = new FakeClock(START);
  warnings = [];
});
afterEach(async () => {
  await workspace.cleanup();
});

type Script = (nowMs: number, windowStartMs: number) => MetricsReading;

const healthy: Script = (nowMs, windowStartMs) => ({
  kind: 'measured',
  requests: 5000,
  errors: 5,
  errorRate: 0.001,
  p95Ms: 120,
  windowStartMs,
  windowEndMs: nowMs,
  source: 'fake',
});

/** A metrics source answering from a script; its baseline counts the reads, as a scrape keeps counters. */
function scriptedSource(script: Script): MetricsSource {
  return {
    description: 'fake',
    read: async ({ nowMs, windowMs, baseline }) => ({
      reading: script(nowMs, nowMs - windowMs),
      baseline: { reads: ((baseline as { reads?: number } | null)?.reads ?? 0) + 1 },
    }),
  };
}

function context(script: Script, events: DeploymentEvents = {}): DeploymentContext {
  return {
    store: fileDeploymentStore(workspace.stateFile),
    clock,
    events: { warning: (message) => warnings.push(message), ...events },
    createSource: () => scriptedSource(script),
    pollMs: HOUR,
  };
}

function open(script: Script, options: PlanOptions, events: DeploymentEvents = {}) {
  return openPlannedDeployment(context(script, events), 'test', {
    options: {
      flag: 'phase_4_deployment',
      configFile: workspace.flagFile,
      metrics: { kind: 'scrape', urls: ['http://fake/metrics'] },
      ...options,
    },
    acceptPlanChange: false,
    restart: false,
    defaultConfigFile: workspace.flagFile,
    statePath: workspace.stateFile,
  });
}

/** The flag as it is served: the people's file with the rollout layer on top. */
async function flag(key = 'phase_4_deployment'): Promise<Record<string, unknown>> {
  return (await servedFlags(workspace))[key] ?? {};
}

describe('Deployment.run', () => {
  it('takes the safe strategy through its seven stages, one a day, and bakes 100% a day, with hourly passing checks', async () => {
    const { deployment } = await open(healthy, { strategy: 'safe', checkIntervalMs: HOUR });
    const outcome = await deployment.run(new AbortController().signal);
    await deployment.close();

    expect(outcome).toBe('completed');
    const journal = await readJournal(workspace.journalFile);
    expect(journal.map((entry) => [entry.event, entry.to.percentage, entry.at])).toEqual([
      ['start', 0, '2025-10-18T00:00:00.000Z'],
      ['advance', 5, '2025-10-19T00:00:00.000Z'],
      ['advance', 10, '2025-10-20T00:00:00.000Z'],
      ['advance', 25, '2025-10-21T00:00:00.000Z'],
      ['advance', 50, '2025-10-22T00:00:00.000Z'],
      ['advance', 75, '2025-10-23T00:00:00.000Z'],
      ['advance', 100, '2025-10-24T00:00:00.000Z'],
      ['complete', 100, '2025-10-25T00:00:00.000Z'],
    ]);
    expect(await flag()).toMatchObject({ enabled: true, rollout_strategy: 'percentage', rollout_percentage: 100 });
    // One baseline at the start, then one read per hourly check over six days and the day of the bake.
    expect((await readState(workspace.stateFile))?.metricsBaseline).toEqual({ reads: 1 + 7 * 24 });
  });

  it('rolls back at the first check of a breach over 5× the limit, flag and companions in one write', async () => {
    const breach: Script = (nowMs, windowStartMs) => ({
      ...healthy(nowMs, windowStartMs),
      errors: 1250,
      errorRate: 0.25,
    });
    const { deployment } = await open((nowMs, start) => (nowMs >= START + DAY ? breach : healthy)(nowMs, start), {
      strategy: 'fast',
      checkIntervalMs: HOUR,
      rollbackFlags: ['aatc_system_enabled'],
    });
    const outcome = await deployment.run(new AbortController().signal);
    await deployment.close();

    expect(outcome).toBe('rolled_back');
    const rollback = (await readJournal(workspace.journalFile)).at(-1) as JournalEntry;
    expect(rollback).toMatchObject({
      event: 'rollback',
      at: '2025-10-19T00:00:00.000Z',
      reason: 'immediate rollback: error rate 25% > 5× the 1% limit',
      flagsChanged: ['phase_4_deployment', 'aatc_system_enabled'],
      verdict: {
        kind: 'fail',
        critical: true,
        measurement: { requests: 5000, errors: 1250, errorRate: 0.25, p95Ms: 120 },
      },
      thresholds: { maxErrorRate: 0.01, maxP95Ms: 500, minRequests: 100, failureLimit: 2 },
    });
    expect(await flag()).toMatchObject({ enabled: false, rollout_percentage: 0 });
    expect((await flag('aatc_system_enabled'))['enabled']).toBe(false);
  });

  it('holds and then pauses when traffic stays below the minimum, without advancing', async () => {
    const quiet: Script = (nowMs, windowStartMs) => ({
      ...healthy(nowMs, windowStartMs),
      requests: 40,
      errors: 0,
      errorRate: 0,
    });
    const { deployment } = await open(quiet, { strategy: 'fast', checkIntervalMs: HOUR, inconclusiveLimit: 30 });
    const outcome = await deployment.run(new AbortController().signal);
    await deployment.close();

    expect(outcome).toBe('paused');
    expect(deployment.state).toMatchObject({
      stageIndex: 0,
      percentage: 0,
      consecutiveInconclusive: 30,
      reason: '30 inconclusive checks in a row: 40 requests < minimum 100',
    });
    expect(deployment.state.updatedAt).toBe(new Date(START + 30 * HOUR).toISOString());
    expect((await readJournal(workspace.journalFile)).map((entry) => entry.event)).toEqual(['start', 'hold', 'pause']);
  });

  it('applies a queued request at its next poll', async () => {
    const { deployment } = await open(healthy, { strategy: 'fast', checkIntervalMs: HOUR });
    await enqueueRequest(deploymentPaths(workspace.stateFile).requests, {
      id: 'r1',
      action: 'pause',
      reason: 'dashboards',
      by: 'ops@host',
      at: new Date(START).toISOString(),
    });
    const outcome = await deployment.run(new AbortController().signal);
    await deployment.close();

    expect(outcome).toBe('paused');
    expect(deployment.state.requests).toEqual([{ id: 'r1', applied: true, message: 'paused by ops@host: dashboards' }]);
  });

  it("turns the flag on in the people's file at the start, and writes stages only to its own layer", async () => {
    const before = await readFile(workspace.flagFile, 'utf8');
    const { deployment } = await open(healthy, { strategy: 'fast', checkIntervalMs: HOUR });
    await deployment.close();

    expect(await readFile(workspace.flagFile, 'utf8')).toBe(
      before.replace(
        '"enabled": false,\n            "description": "Phase 4',
        '"enabled": true,\n            "description": "Phase 4',
      ),
    );
    expect(await flag()).toMatchObject({ enabled: true, rollout_strategy: 'percentage', rollout_percentage: 0 });
  });

  it('rolls back, keeping the flag off, when a person turns it off by hand, and never writes their file', async () => {
    const { deployment } = await open(healthy, { strategy: 'fast', checkIntervalMs: HOUR });
    const edited = (await readFile(workspace.flagFile, 'utf8')).replace(
      '"enabled": true,\n            "description": "Phase 4',
      '"enabled": false,\n            "description": "Phase 4',
    );
    await writeFile(workspace.flagFile, edited);
    const outcome = await deployment.run(new AbortController().signal);
    await deployment.close();

    expect(outcome).toBe('rolled_back');
    expect(deployment.state.reason).toBe(
      `flag phase_4_deployment was changed by hand in ${workspace.flagFile}: enabled true → false: rolled back, the flag stays off`,
    );
    expect(await flag()).toMatchObject({ enabled: false });
    expect(await readFile(workspace.flagFile, 'utf8')).toBe(edited);
    expect((await readJournal(workspace.journalFile)).map((entry) => `${entry.seq} ${entry.event}`)).toEqual([
      '1 start',
      '2 rollback',
    ]);
  });

  it("pauses, serving the person's edit, when they change the rollout by hand; resume rolls out over it", async () => {
    const { deployment } = await open(healthy, { strategy: 'fast', checkIntervalMs: HOUR });
    const edited = (await readFile(workspace.flagFile, 'utf8')).replace('"progressive"', '"all_at_once"');
    await writeFile(workspace.flagFile, edited);
    const outcome = await deployment.run(new AbortController().signal);

    expect(outcome).toBe('paused');
    expect(deployment.state.reason).toBe(
      `flag phase_4_deployment was changed by hand in ${workspace.flagFile}: rollout_strategy "progressive" → "all_at_once"; your edit is served: resume to roll out over it, or roll back`,
    );
    expect(await flag()).toMatchObject({ enabled: true, rollout_strategy: 'all_at_once' });
    await enqueueRequest(deploymentPaths(workspace.stateFile).requests, {
      id: 'r1',
      action: 'resume',
      reason: null,
      by: 'ops@host',
      at: new Date(clock.now()).toISOString(),
    });
    await deployment.drainRequests();
    await deployment.close();
    expect(deployment.state.status).toBe('running');
    expect(await flag()).toMatchObject({ rollout_strategy: 'percentage', rollout_percentage: 0 });
    expect(await readFile(workspace.flagFile, 'utf8')).toBe(edited);
  });

  it('stops between steps when interrupted, leaving a running state to resume', async () => {
    const abort = new AbortController();
    const { deployment } = await open(
      healthy,
      { strategy: 'fast', checkIntervalMs: HOUR },
      { check: () => abort.abort() },
    );
    const outcome = await deployment.run(abort.signal);
    await deployment.close();

    expect(outcome).toBe('interrupted');
    expect((await readState(workspace.stateFile))?.status).toBe('running');
  });
});

describe('opening after a crash', () => {
  it('re-applies a stage the crash kept from the flag file, and appends its missing journal line', async () => {
    const { deployment } = await open(healthy, { strategy: 'fast', checkIntervalMs: HOUR });
    await deployment.close();
    const started = (await readState(workspace.stateFile)) as DeploymentState;
    // As if killed after writing the state of stage 1 and before the flag file and the journal.
    const entry: JournalEntry = {
      ...(started.lastTransition as JournalEntry),
      seq: 2,
      event: 'advance',
      to: { status: 'running', stage: 1, percentage: 25 },
    };
    await writeState(workspace.stateFile, {
      ...started,
      stageIndex: 1,
      percentage: 25,
      applied: false,
      seq: 2,
      lastTransition: entry,
    });

    clock.advance(DAY + HOUR);
    const { deployment: resumed, how } = await open(healthy, { strategy: 'fast', checkIntervalMs: HOUR });
    await resumed.close();

    expect(how).toBe('resume');
    expect(await flag()).toMatchObject({ rollout_percentage: 25 });
    expect(resumed.state.applied).toBe(true);
    expect((await readJournal(workspace.journalFile)).map((item) => `${item.seq} ${item.event}`)).toEqual([
      '1 start',
      '2 advance',
    ]);
  });

  it('counts the time the controller was down toward the stage, so a due stage advances at the first check', async () => {
    const first = await open(healthy, { strategy: 'fast', checkIntervalMs: HOUR });
    await first.deployment.close();
    clock.advance(DAY + 5 * HOUR);
    const { deployment } = await open(healthy, {});
    await deployment.tick();
    await deployment.close();

    expect(deployment.state).toMatchObject({
      stageIndex: 1,
      percentage: 25,
      stageEnteredAt: '2025-10-19T05:00:00.000Z',
    });
    expect(warnings).toEqual([]);
  });
});

describe('a stage that waits for the fleet', () => {
  it('tells its caller at each look while replicas lag, and once when the stage reached them all', async () => {
    const lagging = {
      id: 'web-2-4242-a1b2c3',
      host: 'web-2',
      pid: 4242,
      startedAt: new Date(START).toISOString(),
      flagSet: 'default',
      revision: 7,
      streams: 2,
      streamsAtRevision: 2,
      updatedAt: new Date(START).toISOString(),
    };
    const current = { ...lagging, id: 'web-1-4100-9f0e1d', host: 'web-1', pid: 4100, revision: 8 };
    // The lagging replica catches up two hours after the stage was written.
    const fleet: FleetAccess = {
      timeoutMs: 3 * HOUR,
      readDelivery: async () => {
        const caughtUp = clock.now() >= START + 2 * HOUR;
        const replicas = [current, caughtUp ? { ...lagging, revision: 8 } : lagging];
        return { revision: 8, replicas, lagging: caughtUp ? [] : [lagging] };
      },
    };
    const seen: string[] = [];
    const stop = new AbortController();
    const withFleet = { ...context(healthy), store: { ...fileDeploymentStore(workspace.stateFile), fleet } };
    const events: DeploymentEvents = {
      waiting: (delivery, state, waitedMs, timeoutMs) =>
        seen.push(
          `waiting ${state.percentage}% r${delivery.revision} ${delivery.lagging.map((r) => r.id).join()} ${waitedMs}/${timeoutMs}`,
        ),
      delivered: (delivery, state) => {
        seen.push(
          `delivered ${state.percentage}% r${delivery.revision} ${delivery.replicas.length} at ${state.stageEnteredAt}`,
        );
        stop.abort();
      },
    };
    const { deployment } = await openPlannedDeployment({ ...withFleet, events }, 'test', {
      options: {
        flag: 'phase_4_deployment',
        configFile: workspace.flagFile,
        metrics: { kind: 'scrape', urls: ['http://fake/metrics'] },
        strategy: 'fast',
        checkIntervalMs: HOUR,
      },
      acceptPlanChange: false,
      restart: false,
      defaultConfigFile: workspace.flagFile,
      statePath: workspace.stateFile,
    });
    const outcome = await deployment.run(stop.signal);
    await deployment.close();
    expect(outcome).toBe('interrupted');
    // A look per poll (hourly here) while web-2 lags, with the wait and the timeout; then the delivery.
    expect(seen).toEqual([
      'waiting 0% r8 web-2-4242-a1b2c3 0/10800000',
      'waiting 0% r8 web-2-4242-a1b2c3 3600000/10800000',
      'delivered 0% r8 2 at 2025-10-18T02:00:00.000Z',
    ]);
  });
});

describe('runControlCommand', () => {
  it('names the controller that applied the request and exited just before this process took the lock', async () => {
    const { deployment: controller } = await open(healthy, { strategy: 'fast', checkIntervalMs: HOUR });
    const store = fileDeploymentStore(workspace.stateFile);
    let looks = 0;
    const racing: DeploymentStore = {
      ...store,
      // The command's second look at the lock follows its first look for the outcome: the controller
      // applies the request and exits in between.
      readLockHolder: async () => {
        looks += 1;
        if (looks === 2) {
          await controller.drainRequests();
          await controller.close();
        }
        return store.readLockHolder();
      },
    };
    const result = await runControlCommand({ ...context(healthy), store: racing }, 'pause', 'dashboards', HOUR);

    expect(result.outcome).toMatchObject({
      applied: true,
      message: expect.stringMatching(/^paused by .+: dashboards$/),
    });
    expect(result.appliedBy).toMatch(/^pid \d+ on host .+ \(test\) since /);
    expect(result.state.status).toBe('paused');
  });
});
