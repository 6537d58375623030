import { InvalidArgumentError, type Command } from 'commander';
import { runControlCommand } from '../../deploy/control-command.js';
import type { ControlAction } from '../../deploy/control-request.js';
import { parseDuration } from '../../deploy/duration.js';
import { deploymentContext } from './deploy-context.js';
import { EXIT_CODES, reportError } from './deploy-exit.js';
import { addCommonOptions, type CommonOptions } from './deploy-options.js';

interface ControlOptions extends CommonOptions {
  readonly reason?: string;
  readonly full?: true;
  readonly wait: number;
}

/** `deploy pause`, `resume`, `promote [--full]` and `rollback [--reason]`. */
export function registerControlCommands(deploy: Command): void {
  const commands: readonly [string, string][] = [
    ['pause', 'hold the deployment at its current stage until resumed'],
    ['resume', 'continue a paused deployment (a running `deploy start` continues by itself; otherwise run start or reconcile again)'],
    ['promote', 'move to the next stage now, skipping the rest of the hold'],
    ['rollback', 'turn the flag off (0%) and every --rollback-flags flag off, in one write'],
  ];
  for (const [name, description] of commands) {
    const command = addCommonOptions(deploy.command(name))
      .description(description)
      .option('--reason <text>', 'why, recorded in the state and journal')
      .option('--wait <duration>', 'how long to wait for a running controller to apply it', waitArg, 30_000);
    if (name === 'promote') command.option('--full', 'go straight to the last stage (100%)');
    command.action(async (options: ControlOptions) => {
      process.exitCode = await runControl(name === 'promote' && options.full === true ? 'promote-full' : (name as ControlAction), options);
    });
  }
}

async function runControl(action: ControlAction, options: ControlOptions): Promise<number> {
  // Only warnings (a stale lock taken over): the outcome below says what happened.
  const events = { warning: (message: string) => process.stderr.write(`warning: ${message}\n`) };
  try {
    const result = await runControlCommand(deploymentContext(options.state, events), action, options.reason ?? null, options.wait);
    const { outcome, state, appliedBy } = result;
    if (options.json === true) process.stdout.write(`${JSON.stringify({ action, ...result })}\n`);
    else {
      const via = appliedBy === null ? '' : ` (applied by the running controller, ${appliedBy})`;
      const stream = outcome.applied ? process.stdout : process.stderr;
      stream.write(`${outcome.applied ? '' : 'error: '}${outcome.message}${via}\n`);
      if (outcome.applied) process.stdout.write(`${state.plan.flag} is ${state.status.replace('_', ' ')} at ${state.percentage}%\n`);
    }
    return outcome.applied ? EXIT_CODES.completed : EXIT_CODES.state;
  } catch (error) {
    return reportError(error);
  }
}

function waitArg(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.error);
  return parsed.value;
}
