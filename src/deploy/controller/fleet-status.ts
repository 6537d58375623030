import { streamsAt, type FleetAccess } from '../persistence/fleet-delivery.js';
import type { DeploymentState } from '../state/deployment-state.js';
import { awaitingDelivery } from '../state/stage-delivery.js';

/** One replica as `deploy status` shows it. */
export interface ReplicaStatus {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  /** The revision it serves. */
  readonly revision: number;
  readonly streams: number;
  /** Its streams sent the stage's revision (or a later one). */
  readonly streamsAtStage: number;
  readonly updatedAt: string;
}

/** The fleet serving a store's deployment, as `deploy status` shows it. */
export interface FleetStatus {
  /** The revision the stage was written as. */
  readonly stageRevision: number;
  /** The stage's clock waits for the fleet. */
  readonly waiting: boolean;
  /** When the stage was written; with `waiting`, the wait's timeout counts from here. */
  readonly writtenAt: string | null;
  /** When every replica had it and the stage's clock started. */
  readonly deliveredAt: string | null;
  readonly timeoutMs: number;
  readonly replicas: readonly ReplicaStatus[];
  /** Ids of the replicas not at the stage's revision on every stream. */
  readonly lagging: readonly string[];
}

export async function readFleetStatus(fleet: FleetAccess, state: DeploymentState): Promise<FleetStatus> {
  const delivery = await fleet.readDelivery();
  return {
    stageRevision: delivery.revision,
    waiting: awaitingDelivery(state),
    writtenAt: state.delivery?.writtenAt ?? null,
    deliveredAt: state.delivery?.deliveredAt ?? null,
    timeoutMs: fleet.timeoutMs,
    replicas: delivery.replicas.map((replica) => ({
      id: replica.id,
      host: replica.host,
      pid: replica.pid,
      startedAt: replica.startedAt,
      revision: replica.revision,
      streams: replica.streams,
      streamsAtStage: streamsAt(replica, delivery.revision),
      updatedAt: replica.updatedAt,
    })),
    lagging: delivery.lagging.map((replica) => replica.id),
  };
}
