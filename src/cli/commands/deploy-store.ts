import { DeployError } from '../../deploy/deploy-error.js';
import type { DeploymentStore } from '../../deploy/persistence/deployment-store.js';
import { fileDeploymentStore } from '../../deploy/persistence/file-deployment-store.js';
import { redisDeploymentStore } from '../../deploy/persistence/redis-deployment-store.js';
import { connectStore, createStoreClient } from '../../store/connect-store.js';
import { DEFAULT_FLAG_SET_ID, parseFlagSetId } from '../../store/store-keys.js';
import { parseStoreUrl } from '../../store/store-url.js';

/** Where a command keeps its deployments: `--store` and `--flag-set`, else the state file. */
export interface StoreChoice {
  readonly store?: string;
  readonly flagSet?: string;
  readonly leaseTtl?: number;
  readonly deliveryTimeout?: number;
}

/** A store held open for one command; `close` lets go of its connection. */
export interface OpenedDeploymentStore {
  readonly store: DeploymentStore;
  close(): Promise<void>;
}

/**
 * Opens the deployment store a command names: the Redis store of `--store` (connected now, so a
 * wrong URL or an unreachable server is one clear error naming it), else the state file `statePath`.
 * A controller reconnects for ever; a command fails fast.
 */
export async function openDeploymentStore(
  choice: StoreChoice,
  statePath: () => string,
  following = false,
): Promise<OpenedDeploymentStore> {
  if (choice.store === undefined) {
    if (choice.flagSet !== undefined) throw new DeployError('usage', '--flag-set needs --store');
    return { store: fileDeploymentStore(statePath()), close: async () => {} };
  }
  const location = parseStoreUrl(choice.store);
  if (!location.ok) throw new DeployError('usage', location.error);
  const flagSet = parseFlagSetId(choice.flagSet ?? DEFAULT_FLAG_SET_ID);
  if (!flagSet.ok) throw new DeployError('usage', flagSet.error);
  const client = createStoreClient(location.value, { reconnect: following, connectionName: 'genesis-flags-deploy' });
  const connected = await connectStore(client, location.value);
  if (!connected.ok) throw new DeployError('state', connected.error);
  const store = redisDeploymentStore({
    client,
    url: choice.store,
    redactedUrl: location.value.redacted,
    flagSetId: flagSet.value,
    ...(choice.leaseTtl === undefined ? {} : { leaseTtlMs: choice.leaseTtl }),
    ...(choice.deliveryTimeout === undefined ? {} : { deliveryTimeoutMs: choice.deliveryTimeout }),
  });
  return { store, close: async () => void (await client.quit().catch(() => client.disconnect())) };
}
