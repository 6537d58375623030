import { runControlCommand } from '../../deploy/control-command.js';
import type { ControlAction } from '../../deploy/control-request.js';
import { describeStatus } from '../../deploy/deployment-state.js';
import { deploymentContext } from './deploy-context.js';
import { EXIT_CODES, reportError } from './deploy-exit.js';
import type { CommonOptions } from './deploy-options.js';

/** What a control command is given. */
export interface ControlOptions extends CommonOptions {
  readonly reason?: string;
  readonly full?: true;
  readonly wait: number;
}

/** Runs a control command and returns the exit code: 0 applied, 2 refused or not applied in time. */
export async function runControl(action: ControlAction, options: ControlOptions): Promise<number> {
  // Only warnings (a stale lock taken over): the outcome below says what happened.
  const events = { warning: (message: string) => process.stderr.write(`warning: ${message}\n`) };
  try {
    const result = await runControlCommand(
      deploymentContext(options.state, events),
      action,
      options.reason ?? null,
      options.wait,
    );
    const { outcome, state, appliedBy } = result;
    if (options.json === true) process.stdout.write(`${JSON.stringify({ action, ...result })}\n`);
    else {
      const via = appliedBy === null ? '' : ` (applied by the running controller, ${appliedBy})`;
      const stream = outcome.applied ? process.stdout : process.stderr;
      stream.write(`${outcome.applied ? '' : 'error: '}${outcome.message}${via}\n`);
      if (outcome.applied)
        process.stdout.write(`${state.plan.flag} is ${describeStatus(state.status)} at ${state.percentage}%\n`);
    }
    return outcome.applied ? EXIT_CODES.completed : EXIT_CODES.state;
  } catch (error) {
    return reportError(error);
  }
}
