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
      'roll a flag out in health-gated stages; exit codes: 0 completed, 3 rolled back, 4 paused/interrupted, 1 usage or config error, 2 state or lock problem',
    );
  registerStartCommands(deploy);
  registerStatusCommands(deploy);
  registerControlCommands(deploy);
  registerControllerCommand(program);
}
