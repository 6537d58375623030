import { nextCheckAtMs } from '../../deploy/gates/check-schedule.js';
import {
  describeStatus,
  type DeploymentState,
  type JournalEntry,
  type StagePosition,
  type Verdict,
} from '../../deploy/state/deployment-state.js';
import { formatDuration } from '../../deploy/plan/duration.js';
import { formatPercent } from '../../deploy/format-percent.js';
import type { DeploymentDriver } from '../../deploy/controller/deployment-driver.js';
import type { FleetStatus } from '../../deploy/controller/fleet-status.js';
import { summarizePlan } from '../../deploy/plan/plan-schedule.js';
import type { Resolution } from '../../deploy/controller/resolve-deployment.js';
import { renderCohorts } from './render-cohorts.js';
import { awaitingDelivery } from '../../deploy/state/stage-delivery.js';
import { LEASE_TOKEN_PREFIX } from '../../deploy/persistence/redis-lease.js';

/** The plan as printed before a run: stages with times, earliest completion, detection bounds. */
export function renderPlan(state: DeploymentState, how: Resolution['kind']): string[] {
  const { plan } = state;
  const summary = summarizePlan(plan, { stage: state.stageIndex, atMs: Date.parse(state.stageEnteredAt) });
  if (how === 'finished') {
    return [`Already finished: ${state.id} (plan ${state.planHash}); pass --restart to deploy ${plan.flag} again`];
  }
  const heading = { new: 'Starting', resume: 'Resuming', change: 'Resuming under a changed plan' }[how];
  const lines = [
    `${heading}: ${state.id} (plan ${state.planHash})`,
    `  flag ${plan.flag} in ${plan.configFile}`,
    `  strategy ${plan.strategy}: ${plan.steps.map((step) => `${step}%`).join(' → ')}, each held ${formatDuration(plan.stepDurationMs)}`,
  ];
  for (const stage of summary.stages) {
    const mark = stage.index < state.stageIndex ? 'done' : stage.index === state.stageIndex ? 'now ' : '    ';
    lines.push(
      `  ${mark} stage ${stage.index} ${String(stage.percentage).padStart(6)}%  ${stage.index < state.stageIndex ? '' : `at ${new Date(stage.atMs).toISOString()}`}`.trimEnd(),
    );
  }
  lines.push(`  earliest completion ${new Date(summary.earliestCompletionMs).toISOString()}`);
  lines.push(...renderGates(state, summary.immediateRollbackWithinMs, summary.sustainedRollbackWithinMs));
  if (plan.rollbackFlags.length > 0) lines.push(`  rollback also turns off: ${plan.rollbackFlags.join(', ')}`);
  return lines;
}

function renderGates(state: DeploymentState, immediateMs: number | null, sustainedMs: number | null): string[] {
  const { plan } = state;
  if (plan.metrics === null || immediateMs === null || sustainedMs === null) {
    return ['  health gate: none (no --metrics): stages advance on time alone, nothing rolls back by itself'];
  }
  const { gates, metrics } = plan;
  const source =
    metrics.source.kind === 'prometheus'
      ? `prometheus ${metrics.source.baseUrl}`
      : `scrape ${metrics.source.urls.join(', ')}`;
  return [
    `  health gate: ${source}, checked every ${formatDuration(plan.checkIntervalMs)}`,
    `    pass needs ≥ ${gates.minRequests} requests, error rate ≤ ${formatPercent(gates.maxErrorRate)}` +
      (gates.maxP95Ms === null ? '' : `, p95 ≤ ${gates.maxP95Ms}ms`),
    `    error rate > ${formatPercent(gates.maxErrorRate * gates.immediateRollbackFactor)} rolls back at the next check (within ${formatDuration(immediateMs)})`,
    `    ${gates.failureLimit} failed checks in a row roll back (within ${formatDuration(sustainedMs)} of a sustained breach)`,
    `    ${gates.inconclusiveLimit} inconclusive checks in a row pause for a human`,
  ];
}

/** `2025-10-18T09:00:00.000Z  #3 advance  5% → 10% (stage 2)  reason  [by]`. */
export function renderEntry(entry: JournalEntry): string {
  const move =
    entry.from === null
      ? describePosition(entry.to)
      : `${describePosition(entry.from)} → ${describePosition(entry.to)}`;
  const by = entry.by === 'controller' ? '' : `  [${entry.by}]`;
  return `${entry.at}  #${entry.seq} ${entry.event.padEnd(11)} ${entry.flag} ${move}  ${entry.reason}${by}`;
}

/** The journal as text, each deployment under its own heading. */
export function renderHistory(entries: readonly JournalEntry[]): string[] {
  return entries.flatMap((entry, index) => {
    const cohorts = entry.verdict?.cohorts;
    const lines = [renderEntry(entry), ...(cohorts === undefined ? [] : [`    ${renderCohorts(cohorts)}`])];
    return entries[index - 1]?.deployment === entry.deployment ? lines : [`${entry.deployment}:`, ...lines];
  });
}

function describePosition(position: StagePosition): string {
  const status = position.status === 'running' ? '' : ` ${describeStatus(position.status)}`;
  return `${position.percentage}%${status}`;
}

/** `pass  error rate 0.2% ≤ 1%; p95 120ms ≤ 500ms; 1520 requests ≥ 100`. */
export function renderVerdict(verdict: Verdict): string {
  return `${verdict.kind}${verdict.critical ? ' (critical)' : ''}: ${verdict.reasons.join('; ')}`;
}

/** The live line: stage, exposure, time to the next stage, last verdict. */
export function renderProgress(state: DeploymentState, nowMs: number): string {
  const { plan } = state;
  const stage = `stage ${state.stageIndex}/${plan.steps.length - 1}`;
  const last = state.verdicts[state.verdicts.length - 1];
  const verdict = last === undefined ? 'no check yet' : `last check ${renderVerdict(last)}`;
  return `${plan.flag} ${stage} ${state.percentage}% ${describeStatus(state.status)}  ${describeNext(state, nowMs)}  ${verdict}`;
}

function describeNext(state: DeploymentState, nowMs: number): string {
  if (state.status !== 'running') return state.reason ?? '';
  if (awaitingDelivery(state)) return 'waiting for the fleet to receive the stage (its clock has not started)';
  const baking = state.stageIndex === state.plan.steps.length - 1;
  const holdMs = baking ? (state.plan.analysis?.bakeMs ?? 0) : state.plan.stepDurationMs;
  const dueMs = Date.parse(state.stageEnteredAt) + holdMs - nowMs;
  const next = `next check in ${formatDuration(Math.max(0, nextCheckAtMs(state) - nowMs))}`;
  return dueMs > 0
    ? `${baking ? 'baking, completes' : 'next stage'} in ${formatDuration(dueMs)}, ${next}`
    : `stage time served, waiting for a passing check; ${next}`;
}

/** `deploy status` as text; `fleet` with a store. */
export function renderStatus(
  state: DeploymentState,
  driver: DeploymentDriver,
  nowMs: number,
  fleet?: FleetStatus,
): string[] {
  const lines = [
    `${state.id}: ${describeStatus(state.status)}${state.reason === null ? '' : ` (${state.reason})`}`,
    `  ${renderProgress(state, nowMs)}`,
    `  started ${state.startedAt}, stage entered ${state.stageEnteredAt}${state.finishedAt === null ? '' : `, finished ${state.finishedAt}`}`,
    `  plan ${state.planHash}: ${state.plan.strategy} ${state.plan.steps.join(' → ')}%`,
    `  controller: ${renderDriver(driver, nowMs)}`,
  ];
  if (driver.warning !== null) lines.push(`  warning: ${driver.warning}`);
  if (fleet !== undefined) lines.push(...renderFleet(fleet, nowMs));
  for (const verdict of state.verdicts.slice(-3)) {
    lines.push(`  ${verdict.at}  ${renderVerdict(verdict)}`);
    if (verdict.cohorts !== undefined) lines.push(`    ${renderCohorts(verdict.cohorts)}`);
  }
  return lines;
}

/**
 * `fleet: revision 7 at every stream of 2/3 replicas, waiting 4s (pauses after 60s)`, then one line per
 * replica: `h-12-a1b2c3 on h pid 12: revision 7, streams 4/4`.
 */
function renderFleet(fleet: FleetStatus, nowMs: number): string[] {
  const count = fleet.replicas.length;
  const at = `revision ${fleet.stageRevision} at every stream of ${count - fleet.lagging.length}/${count} replicas`;
  const waitedMs = fleet.writtenAt === null ? 0 : Math.max(0, nowMs - Date.parse(fleet.writtenAt));
  const since = fleet.waiting
    ? `, waiting ${formatDuration(waitedMs)} (pauses after ${formatDuration(fleet.timeoutMs)})`
    : fleet.deliveredAt === null
      ? ''
      : `, delivered ${fleet.deliveredAt}`;
  return [
    `  fleet: ${at}${since}`,
    ...fleet.replicas.map(
      (replica) =>
        `    ${replica.id} on ${replica.host} pid ${replica.pid}: revision ${replica.revision}, streams ${replica.streamsAtStage}/${replica.streams}${fleet.lagging.includes(replica.id) ? ' (behind)' : ''}`,
    ),
  ];
}

/** `pid 12 on host h (serve) since …, last acted 1.2s ago`, or who is waiting to. */
function renderDriver(driver: DeploymentDriver, nowMs: number): string {
  const { holder, lastActedAt, controllers, staleHolder } = driver;
  if (holder !== null) {
    const acted =
      lastActedAt === null ? '' : `, last acted ${formatDuration(Math.max(0, nowMs - Date.parse(lastActedAt)))} ago`;
    const epoch = holder.token.startsWith(LEASE_TOKEN_PREFIX) ? `, lease epoch ${holder.epoch}` : '';
    return `pid ${holder.pid} on ${holder.host} (${holder.command}) since ${holder.since}${acted}${epoch}`;
  }
  const stale = staleHolder === null ? '' : ` (stale lock of dead pid ${staleHolder.pid} on ${staleHolder.host})`;
  if (controllers.length === 0) return `none running${stale}`;
  return `none holds it${stale}; serving the file: ${controllers.map((entry) => `pid ${entry.pid} on ${entry.host} (${entry.command})`).join(', ')}`;
}
