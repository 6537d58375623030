import type { Command } from 'commander';
import { registerControlCommands } from './deploy-control.js';
import { registerControllerCommand } from './controller.js';
import { registerStartCommands } from './deploy-start.js';
import { registerStatusCommands } from './deploy-status.js';

/** Registers `genesis-flags deploy ...`: health-gated progressive rollouts of one flag. */
export function registerDeployCommands(program: Command): void {
  const deploy = program
    .command('deploy')
    .description(
      'roll a flag out in health-gated stages; exit codes (the table below): 0 completed or running, 1 invalid input, 2 a file or state that cannot be read, a lock held, 3 rolled back, 4 paused or interrupted',
    );
  registerStartCommands(deploy);
  registerStatusCommands(deploy);
  registerControlCommands(deploy);
  registerControllerCommand(program);
}
