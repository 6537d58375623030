import type { LeaseKeys } from './redis-lease.js';

/** The keys of a flag set's deployment, beside the set's own (`genesis-flags:{<set>}:…`, one hash slot). */
export interface DeploymentKeys extends LeaseKeys {
  /** String: the deployment state JSON. */
  readonly state: string;
  /** List: one journal entry (JSON) per transition, oldest first. */
  readonly journal: string;
  /** List: queued control requests (JSON), oldest first. */
  readonly requests: string;
  /** Hash: `<host>-<pid>` → controller entry JSON, refreshed by each controller's heartbeat. */
  readonly controllers: string;
}

/** The deployment keys under `base`, the flag set's key prefix `genesis-flags:{<set>}`. */
export function deploymentKeys(base: string): DeploymentKeys {
  const deploy = `${base}:deploy`;
  return {
    state: `${deploy}:state`,
    journal: `${deploy}:journal`,
    requests: `${deploy}:requests`,
    controllers: `${deploy}:controllers`,
    lease: `${deploy}:lease`,
    epoch: `${deploy}:epoch`,
    last: `${deploy}:holder`,
  };
}
