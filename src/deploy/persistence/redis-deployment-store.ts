import type { StoreClient } from '../../store/connect-store.js';
import { STORE_VARIABLE } from '../../store/resolve-store-location.js';
import { flagSetKeys, STORE_KEY_PREFIX } from '../../store/store-keys.js';
import type { DeploymentStore } from './deployment-store.js';
import { DEFAULT_DELIVERY_TIMEOUT_MS, readFleetDelivery } from './fleet-delivery.js';
import { deploymentKeys } from './redis-deployment-keys.js';
import { RedisDeploymentRecords } from './redis-deployment-state.js';
import { readLeaseHolder, tryAcquireLease } from './redis-lease.js';
import { findStoredDrift, findStoredStageProblem, readStoredFlagSet, writeStageToSet } from './redis-rollout-target.js';

export interface RedisDeploymentStoreOptions {
  readonly client: StoreClient;
  /** The store's URL, for a background controller's arguments. */
  readonly url: string;
  /** The URL with its password redacted, for messages. */
  readonly redactedUrl: string;
  readonly flagSetId: string;
  /** The controller lease's TTL. @default 5000 */
  readonly leaseTtlMs?: number;
  /** How long a stage waits for every replica to send its revision to all its streams. @default 60000 */
  readonly deliveryTimeoutMs?: number;
}

/** The controller lease lives this long unless renewed (renewed every third of it). */
export const DEFAULT_LEASE_TTL_MS = 5_000;

/**
 * A flag set's deployment kept in Redis beside the set, so that any replica's controller can drive it:
 * one lease at a time (its epoch fences every write), the state, journal, requests and registry, and
 * stages written into the set itself as new revisions that every replica follows.
 */
export function redisDeploymentStore(options: RedisDeploymentStoreOptions): DeploymentStore {
  const { client, url, flagSetId } = options;
  const set = flagSetKeys(flagSetId);
  const keys = deploymentKeys(`${STORE_KEY_PREFIX}:{${flagSetId}}`);
  const location = `${options.redactedUrl} flag set ${flagSetId}`;
  const records = new RedisDeploymentRecords(client, keys, location);
  const lease = { ttlMs: options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS };
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  return {
    location,
    journalLocation: `${location} (${keys.journal})`,
    controllerLog: `genesis-flags-controller-${flagSetId}.log`,
    controllerArgs: () => [
      ...['--flag-set', flagSetId, '--lease-ttl', `${lease.ttlMs}ms`],
      ...['--delivery-timeout', `${deliveryTimeoutMs}ms`],
    ],
    controllerEnvironment: { [STORE_VARIABLE]: url },
    readState: () => records.readState(),
    writeState: (state, lock) => records.writeState(state, lock),
    readJournal: () => records.readJournal(),
    appendJournal: (entry) => records.appendJournal(entry),
    tryAcquireLock: (command, nowMs) => tryAcquireLease(client, keys, command, nowMs, lease),
    readLockHolder: () => readLeaseHolder(client, keys),
    enqueueRequest: (request) => records.enqueueRequest(request),
    listRequests: () => records.listRequests(),
    removeRequest: (queued) => records.removeRequest(queued),
    announceController: (entry) => records.announceController(entry),
    withdrawController: (entry) => records.withdrawController(entry),
    listLiveControllers: (nowMs) => records.listLiveControllers(nowMs),
    readFlags: async () => (await readStoredFlagSet(client, set, location)).flags,
    writeStage: (state, lock) => writeStageToSet(client, set, keys.lease, location, state, lock),
    isStageServed: async () => {
      const stored = await readStoredFlagSet(client, set, location);
      return stored.stageRevision === stored.revision;
    },
    findStageProblem: (state) => findStoredStageProblem(client, set, location, state),
    findDrift: (state) => findStoredDrift(client, set, location, state),
    fleet: { timeoutMs: deliveryTimeoutMs, readDelivery: () => readFleetDelivery(client, set, flagSetId) },
    cleanUp: async () => {},
  };
}
