import type { StoreClient } from '../../store/connect-store.js';
import { readLiveReplicas, type ReplicaPresence } from '../../store/replica-presence.js';
import type { FlagSetKeys } from '../../store/store-keys.js';

/** Where the fleet is with the stage's revision: every live replica, and those not there yet. */
export interface FleetDelivery {
  /** The revision the stage was written as. */
  readonly revision: number;
  readonly replicas: readonly ReplicaPresence[];
  /** Replicas serving an older revision, or with streams not yet sent the one they serve. */
  readonly lagging: readonly ReplicaPresence[];
}

/** A deployment store's fleet: the replicas serving its flag set, and how long a stage waits for them. */
export interface FleetAccess {
  /** Past this, a stage whose revision has not reached every stream pauses the rollout. */
  readonly timeoutMs: number;
  readDelivery(): Promise<FleetDelivery>;
}

/** The stage waits this long for the fleet by default. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 60_000;

/** Reads the set's stage revision and the live replicas' presence; a fleet of none has delivered. */
export async function readFleetDelivery(
  client: StoreClient,
  keys: FlagSetKeys,
  flagSetId: string,
): Promise<FleetDelivery> {
  const [revision, stageRevision] = await client.hmget(keys.set, 'revision', 'stage-revision');
  const target = Number(stageRevision ?? revision ?? 0);
  const replicas = await readLiveReplicas(client, flagSetId);
  return { revision: target, replicas, lagging: replicas.filter((replica) => !hasDelivered(replica, target)) };
}

/** Streams of `replica` that have been sent `revision` (or a later one). */
export function streamsAt(replica: ReplicaPresence, revision: number): number {
  return replica.revision >= revision ? replica.streamsAtRevision : 0;
}

function hasDelivered(replica: ReplicaPresence, revision: number): boolean {
  return replica.revision >= revision && replica.streamsAtRevision >= replica.streams;
}

/** `replica h-12-a1b2c3 (host h, pid 12) serves revision 6, 3 of 3 streams behind`, one per lagging replica. */
export function describeLagging(delivery: FleetDelivery): string {
  return delivery.lagging
    .map((replica) => {
      const behind = replica.streams - streamsAt(replica, delivery.revision);
      return `replica ${replica.id} (host ${replica.host}, pid ${replica.pid}) serves revision ${replica.revision}, ${behind} of ${replica.streams} streams behind`;
    })
    .join('; ');
}
