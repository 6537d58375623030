import { describeLagging, streamsAt, type FleetDelivery } from '../../deploy/persistence/fleet-delivery.js';
import { formatDuration } from '../../deploy/plan/duration.js';
import type { DeploymentState } from '../../deploy/state/deployment-state.js';

/** A stage waiting for the fleet prints a line when who lags changes, and at least this often while nothing does. */
export const FLEET_WAIT_REPEAT_MS = 5_000;

/** One look at a stage waiting for the fleet, as `deploy start --json` prints it (`event: "fleet"`). */
export interface FleetWaitReport {
  readonly event: 'fleet';
  readonly at: string;
  readonly flag: string;
  readonly stage: number;
  readonly percentage: number;
  /** The revision the stage was written as. */
  readonly revision: number;
  readonly replicas: number;
  readonly replicasDelivered: number;
  readonly streams: number;
  readonly streamsDelivered: number;
  readonly waitedMs: number;
  /** Absent when following a controller elsewhere: the timeout is its own setting. */
  readonly timeoutMs?: number;
  readonly lagging: readonly {
    readonly id: string;
    readonly host: string;
    readonly pid: number;
    readonly revision: number;
    readonly streams: number;
    readonly streamsBehind: number;
  }[];
}

/** The stage reached every stream: its clock starts (`event: "delivered"`). */
export interface FleetDeliveredReport {
  readonly event: 'delivered';
  readonly at: string;
  readonly flag: string;
  readonly stage: number;
  readonly percentage: number;
  readonly revision: number;
  readonly replicas: number;
  readonly streams: number;
}

export function fleetWaitReport(
  delivery: FleetDelivery,
  state: DeploymentState,
  waitedMs: number,
  timeoutMs: number | undefined,
  nowMs: number,
): FleetWaitReport {
  const { revision, replicas, lagging } = delivery;
  return {
    event: 'fleet',
    at: new Date(nowMs).toISOString(),
    flag: state.plan.flag,
    stage: state.stageIndex,
    percentage: state.percentage,
    revision,
    replicas: replicas.length,
    replicasDelivered: replicas.length - lagging.length,
    streams: replicas.reduce((sum, replica) => sum + replica.streams, 0),
    streamsDelivered: replicas.reduce((sum, replica) => sum + streamsAt(replica, revision), 0),
    waitedMs,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    lagging: lagging.map((replica) => ({
      id: replica.id,
      host: replica.host,
      pid: replica.pid,
      revision: replica.revision,
      streams: replica.streams,
      streamsBehind: replica.streams - streamsAt(replica, revision),
    })),
  };
}

export function fleetDeliveredReport(
  delivery: FleetDelivery,
  state: DeploymentState,
  nowMs: number,
): FleetDeliveredReport {
  return {
    event: 'delivered',
    at: new Date(nowMs).toISOString(),
    flag: state.plan.flag,
    stage: state.stageIndex,
    percentage: state.percentage,
    revision: delivery.revision,
    replicas: delivery.replicas.length,
    streams: delivery.replicas.reduce((sum, replica) => sum + replica.streams, 0),
  };
}

/** `<at>  fleet       flag 50%  revision 8 at 2/3 replicas, 4/5 streams (waited 3s of 1m); lagging: replica …`. */
export function renderFleetWait(report: FleetWaitReport, delivery: FleetDelivery): string {
  const { at, flag, percentage, revision, replicas, replicasDelivered, streams, streamsDelivered } = report;
  const timeout = report.timeoutMs === undefined ? '' : ` of ${formatDuration(report.timeoutMs)}`;
  const waited = `waited ${formatDuration(report.waitedMs)}${timeout}`;
  return (
    `${at}  ${'fleet'.padEnd(11)} ${flag} ${percentage}%  revision ${revision} at ${replicasDelivered}/${replicas} replicas, ` +
    `${streamsDelivered}/${streams} streams (${waited}); lagging: ${describeLagging(delivery)}`
  );
}

/** `<at>  delivered   flag 50%  revision 8 at every stream of 3 replicas (5 streams); the stage's clock starts`. */
export function renderFleetDelivered(report: FleetDeliveredReport): string {
  const { at, flag, percentage, revision, replicas, streams } = report;
  return `${at}  ${'delivered'.padEnd(11)} ${flag} ${percentage}%  revision ${revision} at every stream of ${replicas} replicas (${streams} streams); the stage's clock starts`;
}

/**
 * Which looks at a waiting stage are worth a line: the first, one where the revision or who lags (and
 * by how much) changed, and otherwise one every `repeatMs`, so a long wait neither floods nor goes silent.
 */
export class FleetWaitThrottle {
  #lastKey: string | undefined;
  #lastAtMs = 0;

  constructor(private readonly repeatMs = FLEET_WAIT_REPEAT_MS) {}

  shouldPrint(report: FleetWaitReport, nowMs: number): boolean {
    const key = JSON.stringify([report.revision, report.replicas, report.lagging]);
    if (key === this.#lastKey && nowMs - this.#lastAtMs < this.repeatMs) return false;
    this.#lastKey = key;
    this.#lastAtMs = nowMs;
    return true;
  }

  /** The stage was delivered (or the wait ended otherwise): the next wait prints its first look. */
  reset(): void {
    this.#lastKey = undefined;
  }
}
