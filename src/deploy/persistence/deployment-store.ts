import type { RolloutFieldValues } from '../../loading/rollout-layer.js';
import type { ControlRequest } from '../requests/control-request.js';
import type { ControllerEntry } from '../state/controller-registry.js';
import type { DeploymentState } from '../state/deployment-state.js';
import type { JournalAccess } from '../state/journal.js';
import type { HeldLock, LockAttempt, LockHolder } from '../state/lock-file.js';
import type { QueuedRequest } from '../requests/request-inbox.js';
import type { FlagDrift } from '../flags/rollout-edits.js';
import type { FleetAccess } from './fleet-delivery.js';

/**
 * Everything a deployment keeps, behind one interface so the controller and the `deploy` commands
 * run the same against files beside a flag file or against a shared store: the state, its journal,
 * the lock whose epoch is the fencing token, the request inbox, the controller registry, and the
 * flags the rollout is written over. Every write that moves the rollout takes the held lock and is
 * refused (a `lock` error) when the lock moved on, so a holder that lost it cannot write.
 */
export interface DeploymentStore extends JournalAccess {
  /** Where the deployment lives, named in messages: the state file, or the store and flag set. */
  readonly location: string;
  /** Where the journal lives, named in messages. */
  readonly journalLocation: string;
  /** Where a controller started in the background for this deployment appends its output. */
  readonly controllerLog: string;
  /** The arguments that make a `controller` process watch this same deployment of `configFile`. */
  controllerArgs(configFile: string): readonly string[];
  /**
   * The environment that process also needs: a store's URL travels here, never in the arguments,
   * because it may hold a password and every user of the machine can read a command line.
   */
  readonly controllerEnvironment: Readonly<Record<string, string>>;

  readState(): Promise<DeploymentState | undefined>;
  writeState(state: DeploymentState, lock: HeldLock): Promise<void>;

  tryAcquireLock(command: string, nowMs: number): Promise<LockAttempt>;
  /** Who holds the lock, if anyone, and whether that holder is alive. */
  readLockHolder(): Promise<{ readonly holder: LockHolder; readonly alive: boolean } | null>;

  enqueueRequest(request: ControlRequest): Promise<void>;
  /** The queued requests, oldest first. */
  listRequests(): Promise<QueuedRequest[]>;
  removeRequest(queued: QueuedRequest): Promise<void>;

  announceController(entry: ControllerEntry): Promise<void>;
  withdrawController(entry: ControllerEntry): Promise<void>;
  listLiveControllers(nowMs: number): Promise<ControllerEntry[]>;

  /** The people's flags of the flag set the plan names (to check a plan against). */
  readFlags(configFile: string): Promise<Readonly<Record<string, Readonly<Record<string, unknown>>>>>;
  /** Serves the state's stage (or rollback); returns the people's fields the stage was written over. */
  writeStage(state: DeploymentState, lock: HeldLock): Promise<RolloutFieldValues>;
  /**
   * Whether what is served still holds the stage last written. A file layer always does; a store's
   * set loses it when a push writes the set anew, and the controller writes the stage again over the
   * pushed flags.
   */
  isStageServed(): Promise<boolean>;
  /** Why the state's stage cannot be served, or `undefined`. A rollback is never blocked. */
  findStageProblem(state: DeploymentState): Promise<string | undefined>;
  /** How a person changed the flag since the rollout wrote over it, if they did. */
  findDrift(state: DeploymentState): Promise<FlagDrift | undefined>;

  /**
   * The replicas serving the deployment's flags, whose delivery of each stage starts its clock; a
   * file deployment has none (each process reads the file itself) and its stages start when written.
   */
  readonly fleet?: FleetAccess;

  /** Clears what a process killed mid-write left behind; called once a deployment is held. */
  cleanUp(): Promise<void>;
}
