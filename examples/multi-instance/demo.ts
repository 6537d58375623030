import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  cliPath,
  findPackageRoot,
  startOrchestrator,
  startSyncServer,
  syncFedEnv,
  type Instance,
  type SyncFedKind,
} from '../fleet/orchestrator-fleet.js';
import { ProcessGroup, type ProcessExit } from '../fleet/process-group.js';
import { createDeployEventReader, type DeployEvent, type Transition } from './deploy-events.js';
import { LoadGenerator, statsBetween, type LoadStats } from './load-generator.js';
import { countPhase4Users, setPhase4ErrorRate } from './phase4-control.js';
import { Timeline, type TimelineRow } from './timeline.js';

export interface DemoOptions {
  readonly instances: number;
  /** Rollout stages of `phase_4_deployment`, in percent. */
  readonly steps: readonly number[];
  /** Durations as the deploy CLI takes them (`4s`, `500ms`). */
  readonly stepDuration: string;
  readonly checkInterval: string;
  readonly ratePerSecond: number;
  /** The stage at which the phase-4 path starts failing. */
  readonly faultAtPercent: number;
  /** The share of phase-4 requests that fail from then on. */
  readonly faultRate: number;
  readonly minRequests: number;
  /** The p95 latency gate in milliseconds, or `off`, as the deploy CLI takes it. */
  readonly maxP95Ms: string;
  /** Keep the temp folder (flag file, state, journal, every process's log). */
  readonly keep: boolean;
}

export const DEMO_DEFAULTS: DemoOptions = Object.freeze({
  instances: 3,
  steps: [5, 25, 50, 100],
  // Long enough for the cohort test to see ~60 treatment requests at the first stage; checks of two
  // seconds so that one window's handful of treatment errors does not swing the global rate.
  stepDuration: '16s',
  checkInterval: '2s',
  ratePerSecond: 240,
  faultAtPercent: 5,
  // 8% of the new variant's requests fail: at 5% exposure that is 0.4% of all traffic, under the 1% limit.
  faultRate: 0.08,
  minRequests: 20,
  maxP95Ms: '500',
  keep: false,
});

export interface InstanceAfterRollback {
  readonly instance: string;
  readonly probedUsers: number;
  readonly phase4Users: number;
}

/** The check that rolled back, as the global gate alone would have judged it. */
export interface GlobalGateView {
  /** All traffic's error rate in the check's window, and the `--max-error-rate` limit. */
  readonly globalErrorRate: number | null;
  readonly maxErrorRate: number | null;
  /** The cohort analysis that caught it, over the stage. */
  readonly treatmentErrorRate: number | null;
  readonly controlErrorRate: number | null;
  readonly treatmentRequests: number | null;
  readonly controlRequests: number | null;
  /** Both cohorts together over the stage: the global error rate of the tracked traffic. */
  readonly stageErrorRate: number | null;
}

export interface DemoReport {
  readonly outcome: string | null;
  readonly deployExitCode: number | null;
  readonly rolledBackAtPercent: number | null;
  readonly faultsInjectedAtPercent: number | null;
  /** The rollback's check: `globalErrorRate` under `maxErrorRate` means the global gate would have missed it. */
  readonly atRollback: GlobalGateView | null;
  readonly afterRollback: readonly InstanceAfterRollback[];
  /** Load answered in the 1.5 s after every instance was back on the old path. */
  readonly loadAfterRollback: LoadStats | null;
  readonly processes: readonly ProcessExit[];
  readonly tempDir: string;
  readonly tempDirRemoved: boolean;
  /** Why the demo stopped early, if it did. */
  readonly error: string | null;
  readonly timeline: readonly TimelineRow[];
  readonly durationMs: number;
}

/** Instances alternate between our provider and the official one, both fed by the same server. */
const providerOf = (index: number): SyncFedKind => (index % 2 === 0 ? 'genesis-sync' : 'flagd-in-process');

const PROBE_USERS = Array.from({ length: 100 }, (_, index) => `user-${index}`);
const SETTLE_TIMEOUT_MS = 10_000;
const AFTER_ROLLBACK_WINDOW_MS = 1500;

/**
 * The whole demo: a working copy of the shipped flags, the sync server on it, the instances fed by
 * it, steady load, and a health-gated rollout of phase_4_deployment whose new path fails a share
 * (`faultRate`) of its requests from `faultAtPercent` on, and rolls back. Everything started is stopped at the end, whatever happened; an abort (Ctrl-C)
 * stops the processes at once and goes straight to that end.
 */
export async function runDemo(
  options: DemoOptions,
  print: (line: string) => void,
  signal?: AbortSignal,
): Promise<DemoReport> {
  const startedMs = Date.now();
  const root = findPackageRoot();
  const dir = await mkdtemp(join(tmpdir(), 'genesis-demo-'));
  const flagFile = join(dir, 'feature_flags.json');
  await copyFile(join(root, 'config', 'feature_flags.json'), flagFile);
  const group = new ProcessGroup();
  signal?.addEventListener('abort', () => group.signalAll('SIGTERM'), { once: true });
  let load: LoadGenerator | undefined;
  let rollout: RolloutResult = {
    outcome: null,
    exitCode: null,
    rolledBackAtPercent: null,
    faultsInjectedAtPercent: null,
    atRollback: null,
    timeline: [],
  };
  let afterRollback: InstanceAfterRollback[] = [];
  let loadAfterRollback: LoadStats | null = null;
  let error: string | null = null;
  try {
    print(`working copy of config/feature_flags.json in ${dir}`);
    const instances = await startFleet(group, root, dir, flagFile, options.instances, print);
    load = new LoadGenerator(
      instances.map((instance) => instance.url),
      options.ratePerSecond,
    );
    load.start();
    print(`load: ${options.ratePerSecond} tasks/s across ${instances.length} instances, 1,000 users\n`);
    rollout = await runRollout({ options, group, root, dir, flagFile, instances, print });
    if (signal?.aborted === true) throw new Error('interrupted');
    afterRollback = await waitForOldPath(instances);
    const before = load.stats();
    await sleep(AFTER_ROLLBACK_WINDOW_MS);
    loadAfterRollback = statsBetween(before, load.stats());
  } catch (cause) {
    error = signal?.aborted === true ? 'interrupted' : describeError(cause);
  }
  await load?.stop();
  const processes = await group.stopAll(5000);
  if (!options.keep) await rm(dir, { recursive: true, force: true });
  const report: DemoReport = {
    outcome: rollout.outcome,
    deployExitCode: rollout.exitCode,
    rolledBackAtPercent: rollout.rolledBackAtPercent,
    faultsInjectedAtPercent: rollout.faultsInjectedAtPercent,
    atRollback: rollout.atRollback,
    timeline: rollout.timeline,
    afterRollback,
    loadAfterRollback,
    processes,
    tempDir: dir,
    tempDirRemoved: !options.keep,
    error,
    durationMs: Date.now() - startedMs,
  };
  printSummary(report, print);
  return report;
}

/** The sync server on the working copy, and the instances it feeds; resolves once all of them serve. */
async function startFleet(
  group: ProcessGroup,
  root: string,
  dir: string,
  flagFile: string,
  count: number,
  print: (line: string) => void,
): Promise<Instance[]> {
  const server = await startSyncServer(group, root, flagFile, join(dir, 'sync-server.log'));
  print(`sync server: flagd.sync.v1 on 127.0.0.1:${server.port} (pid ${server.member.pid})`);
  const instances = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      startOrchestrator(
        group,
        `instance ${index + 1}`,
        syncFedEnv(providerOf(index), server.port),
        join(dir, `instance-${index + 1}.log`),
      ),
    ),
  );
  instances.forEach((instance, index) =>
    print(`${instance.name}: ${instance.url} (pid ${instance.member.pid}), ${providerOf(index)} from the sync server`),
  );
  return instances;
}

interface RolloutResult {
  readonly outcome: string | null;
  readonly exitCode: number | null;
  readonly rolledBackAtPercent: number | null;
  readonly faultsInjectedAtPercent: number | null;
  readonly atRollback: GlobalGateView | null;
  readonly timeline: readonly TimelineRow[];
}

interface RolloutSetup {
  readonly options: DemoOptions;
  readonly group: ProcessGroup;
  readonly root: string;
  readonly dir: string;
  readonly flagFile: string;
  readonly instances: readonly Instance[];
  readonly print: (line: string) => void;
}

/** Runs `deploy start` to its end, printing the timeline and breaking the phase-4 path at the chosen stage. */
async function runRollout(setup: RolloutSetup): Promise<RolloutResult> {
  const { options, instances } = setup;
  const timeline = new Timeline(Date.now(), setup.print);
  const metrics = `scrape:${instances.map((instance) => `${instance.url}/metrics`).join(',')}`;
  const args = [
    ...['deploy', 'start', '--flag', 'phase_4_deployment', '--strategy', 'custom', '--steps', options.steps.join(',')],
    ...['--step-duration', options.stepDuration, '--check-interval', options.checkInterval, '--metrics', metrics],
    ...['--min-requests', String(options.minRequests), '--max-p95-ms', options.maxP95Ms],
    ...['--config', setup.flagFile, '--state', join(setup.dir, 'deployment_state.json'), '--json'],
  ];
  const deploy = setup.group.start('deploy start', process.execPath, [cliPath(setup.root), ...args], {
    logFile: join(setup.dir, 'deploy.log'),
  });
  let outcome: string | null = null;
  let rolledBackAtPercent: number | null = null;
  let atRollback: GlobalGateView | null = null;
  let injection: Promise<void> | undefined;
  // Kept until the deploy ends, so that a failed injection is reported rather than left unhandled.
  let injectionFailure: Error | undefined;
  const onEvent = (event: DeployEvent): void => {
    if (event.event === 'plan') timeline.setStageCount(event.plan.steps.length);
    if (event.event === 'check') timeline.check(event.verdict);
    if (event.event === 'result') outcome = event.outcome;
    if (event.event !== 'transition') return;
    const { entry } = event;
    if (entry.event === 'rollback') {
      rolledBackAtPercent = entry.from?.percentage ?? null;
      atRollback = globalGateView(entry);
    }
    timeline.transition(entry);
    const reached = entry.event === 'start' || entry.event === 'advance';
    if (reached && entry.to.percentage === options.faultAtPercent && injection === undefined) {
      injection = Promise.all(instances.map((instance) => setPhase4ErrorRate(instance, options.faultRate))).then(
        () =>
          timeline.note(
            Date.now(),
            `faults injected: ${formatPercent(options.faultRate)} of phase-4 requests now fail, on all ${instances.length} instances`,
          ),
        (cause: unknown) => {
          injectionFailure = new Error('Could not inject faults', { cause });
        },
      );
    }
  };
  deploy.child.stdout?.on('data', createDeployEventReader(onEvent));
  const exit = await deploy.exited;
  await injection;
  if (injectionFailure !== undefined) throw injectionFailure;
  const faultsInjectedAtPercent = injection === undefined ? null : options.faultAtPercent;
  return {
    outcome,
    exitCode: exit.code,
    rolledBackAtPercent,
    faultsInjectedAtPercent,
    atRollback,
    timeline: timeline.rows,
  };
}

function globalGateView(entry: Transition): GlobalGateView {
  const cohorts = entry.verdict?.cohorts;
  return {
    globalErrorRate: entry.verdict?.measurement?.errorRate ?? null,
    maxErrorRate: entry.thresholds?.maxErrorRate ?? null,
    treatmentErrorRate: cohorts?.treatment.errorRate ?? null,
    controlErrorRate: cohorts?.control.errorRate ?? null,
    treatmentRequests: cohorts?.treatment.requests ?? null,
    controlRequests: cohorts?.control.requests ?? null,
    stageErrorRate:
      cohorts === undefined || cohorts.treatment.requests + cohorts.control.requests === 0
        ? null
        : (cohorts.treatment.errors + cohorts.control.errors) / (cohorts.treatment.requests + cohorts.control.requests),
  };
}

/** Waits until no instance serves any probe user on the phase-4 path (bounded), and says how each ended. */
async function waitForOldPath(instances: readonly Instance[]): Promise<InstanceAfterRollback[]> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const counts = await Promise.all(instances.map((instance) => countPhase4Users(instance, PROBE_USERS)));
    if (counts.every((count) => count === 0) || Date.now() > deadline) {
      return instances.map((instance, index) => ({
        instance: instance.name,
        probedUsers: PROBE_USERS.length,
        phase4Users: counts[index] ?? -1,
      }));
    }
    await sleep(100);
  }
}

/** The demo showed what it should: a rollback, every instance back on the old path, no errors after it, everything stopped. */
export function demoSucceeded(report: DemoReport): boolean {
  const after = report.loadAfterRollback;
  const serverErrors =
    after === null ? 1 : Object.entries(after.byStatus).filter(([status]) => !/^2/.test(status)).length;
  return (
    report.error === null &&
    report.rolledBackAtPercent !== null &&
    report.afterRollback.length > 0 &&
    report.afterRollback.every((instance) => instance.phase4Users === 0) &&
    serverErrors === 0
  );
}

function printSummary(report: DemoReport, print: (line: string) => void): void {
  print('');
  if (report.error !== null) print(`demo failed: ${report.error}`);
  print(`result: ${report.outcome ?? 'no result'} (deploy exit code ${report.deployExitCode ?? 'none'})`);
  if (report.rolledBackAtPercent !== null) print(`rolled back from ${report.rolledBackAtPercent}% to 0%`);
  if (report.atRollback !== null) printGlobalGateView(report.atRollback, print);
  for (const instance of report.afterRollback) {
    print(
      `after the rollback, ${instance.instance}: ${instance.phase4Users} of ${instance.probedUsers} users on the phase-4 path`,
    );
  }
  const after = report.loadAfterRollback;
  if (after !== null)
    print(
      `load after the rollback: answers ${describeCounts(after.byStatus)}; served by ${describeCounts(after.byPipeline)}`,
    );
  for (const exit of report.processes) {
    print(
      `stopped ${exit.name} (pid ${exit.pid}): ${exit.signal === null ? `exit ${exit.code}` : `signal ${exit.signal}`}`,
    );
  }
  print(
    report.tempDirRemoved
      ? `removed ${report.tempDir}`
      : `kept ${report.tempDir} (flag file, deployment state and journal, logs)`,
  );
  print(`took ${(report.durationMs / 1000).toFixed(1)}s`);
}

/** Says whether the global error-rate gate alone would have caught what the rollback's check caught. */
function printGlobalGateView(view: GlobalGateView, print: (line: string) => void): void {
  const { globalErrorRate: global, maxErrorRate: limit } = view;
  if (view.treatmentErrorRate !== null && view.controlErrorRate !== null) {
    print(
      `cohorts at the rollback: treatment ${formatPercent(view.treatmentErrorRate)} errors (${view.treatmentRequests} requests) against control ${formatPercent(view.controlErrorRate)} (${view.controlRequests} requests)`,
    );
  }
  if (global === null || limit === null) return;
  const verdict =
    global <= limit ? 'under it: the global gate alone would have missed it' : 'over it: the global gate caught it too';
  const stage = view.stageErrorRate === null ? '' : ` (${formatPercent(view.stageErrorRate)} over the stage)`;
  print(
    `global error rate at the rollback: ${formatPercent(global)}${stage}, limit ${formatPercent(limit)}, ${verdict}`,
  );
}

function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause === undefined ? error.message : `${error.message}: ${describeError(error.cause)}`;
}

function describeCounts(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'none' : entries.map(([key, count]) => `${key} × ${count}`).join(', ');
}
