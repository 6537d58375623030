import { Option, type Command } from 'commander';
import type { ControlAction } from '../../deploy/requests/control-request.js';
import { addCommonOptions, durationArg } from './deploy-options.js';
import type { ControlOptions } from './deploy-control-run.js';

/** `deploy pause`, `resume`, `promote [--full]` and `rollback [--reason]` (implementation loaded on use). */
export function registerControlCommands(deploy: Command): void {
  const commands: readonly [string, string][] = [
    ['pause', 'hold the deployment at its current stage until resumed'],
    [
      'resume',
      'continue a paused deployment (a running `deploy start` continues by itself; otherwise run start or reconcile again)',
    ],
    ['promote', 'move to the next stage now, skipping the rest of the hold'],
    ['rollback', 'turn the flag off (0%) and every --rollback-flags flag off, in one write'],
  ];
  for (const [name, description] of commands) {
    const command = addCommonOptions(deploy.command(name))
      .description(description)
      .option('--reason <text>', 'why, recorded in the state and journal')
      .addOption(
        new Option('--wait <duration>', 'how long to wait for a running controller to apply it, e.g. 30s, 2m')
          .argParser(durationArg)
          .default(30_000, '30s'),
      );
    if (name === 'promote') command.option('--full', 'go straight to the last stage (100%)');
    command.action(async (options: ControlOptions) => {
      const { runControl } = await import('./deploy-control-run.js');
      process.exitCode = await runControl(
        name === 'promote' && options.full === true ? 'promote-full' : (name as ControlAction),
        options,
      );
    });
  }
}
