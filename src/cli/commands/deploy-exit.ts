import { DeployError } from '../../deploy/deploy-error.js';
import { EXIT_CODES as SHARED_EXIT_CODES } from '../command-result.js';
import type { DeploymentStatus } from '../../deploy/state/deployment-state.js';
import type { RunOutcome } from '../../deploy/controller/deployment.js';

/** The deploy commands' names for the shared exit codes (`EXIT_CODE_MEANINGS`). */
export const EXIT_CODES = {
  completed: SHARED_EXIT_CODES.ok,
  usage: SHARED_EXIT_CODES.invalid,
  state: SHARED_EXIT_CODES.unreadable,
  rolledBack: SHARED_EXIT_CODES.rolledBack,
  paused: SHARED_EXIT_CODES.paused,
} as const;

/**
 * A run's exit code: 0 completed, 3 rolled back, 4 paused or interrupted. A `reconcile` that
 * leaves the deployment running also exits 0: the tick did its job.
 */
export function exitCodeFor(outcome: RunOutcome | DeploymentStatus): number {
  switch (outcome) {
    case 'completed':
    case 'running':
      return EXIT_CODES.completed;
    case 'rolled_back':
      return EXIT_CODES.rolledBack;
    case 'paused':
    case 'interrupted':
      return EXIT_CODES.paused;
  }
}

/** Prints an error to stderr and returns its exit code: 1 usage or config, 2 state, lock or an unreadable flag file (and anything unexpected). */
export function reportError(error: unknown): number {
  if (error instanceof DeployError) {
    process.stderr.write(`error: ${error.message}\n`);
    return error.kind === 'usage' || error.kind === 'config' ? EXIT_CODES.usage : EXIT_CODES.state;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`error: ${message}\n`);
  return EXIT_CODES.state;
}
