import { removeOrphanedTempFiles } from '../../system/write-file-atomic.js';
import { announceController, listLiveControllers, withdrawController } from '../state/controller-registry.js';
import { readFlagFile } from '../flags/flag-file.js';
import { findFlagDrift, findFlagFileProblem, writeStateToLayer } from '../flags/flag-sync.js';
import { fileJournal } from '../state/journal.js';
import { readLockHolder, tryAcquireLock } from '../state/lock-file.js';
import { enqueueRequest, listRequests, removeRequest } from '../requests/request-inbox.js';
import { deploymentPaths, readState, writeState, type DeploymentPaths } from '../state/state-store.js';
import type { DeploymentStore } from './deployment-store.js';

/**
 * The embedded default: the state file and the files named after it (`x.json` → `x.journal.jsonl`,
 * `x.json.lock`, `x.json.requests/`, `x.json.controllers/`), and the rollout layer beside the flag
 * file. The lock is checked before every write; files cannot make the check and the write one step,
 * which the Redis store does.
 */
export function fileDeploymentStore(statePath: string): DeploymentStore & { readonly paths: DeploymentPaths } {
  const paths = deploymentPaths(statePath);
  return {
    paths,
    location: paths.state,
    journalLocation: paths.journal,
    controllerLog: `${paths.state.replace(/\.json$/i, '')}.controller.log`,
    controllerArgs: (configFile) => [configFile, '--state', paths.state],
    controllerEnvironment: {},
    readState: () => readState(paths.state),
    writeState: async (state, lock) => {
      await lock.verify();
      await writeState(paths.state, state);
    },
    ...fileJournal(paths.journal),
    tryAcquireLock: (command, nowMs) => tryAcquireLock(paths.lock, command, nowMs),
    readLockHolder: () => readLockHolder(paths.lock),
    enqueueRequest: (request) => enqueueRequest(paths.requests, request),
    listRequests: () => listRequests(paths.requests),
    removeRequest,
    announceController: (entry) => announceController(paths.controllers, entry),
    withdrawController: (entry) => withdrawController(paths.controllers, entry),
    listLiveControllers: (nowMs) => listLiveControllers(paths.controllers, nowMs),
    readFlags: async (configFile) => (await readFlagFile(configFile)).flags,
    writeStage: async (state, lock) => {
      await lock.verify();
      return writeStateToLayer(state);
    },
    isStageServed: async () => true,
    findStageProblem: findFlagFileProblem,
    findDrift: findFlagDrift,
    cleanUp: async () => {
      await Promise.all([removeOrphanedTempFiles(paths.state), removeOrphanedTempFiles(paths.lock)]);
    },
  };
}
