import type { Command } from 'commander';
import { addCommonOptions, addPlanOptions } from './deploy-options.js';
import type { StartOptions } from './deploy-start-run.js';

/*
 * Registration only: the implementation is imported when a command runs, so that every other
 * genesis-flags command starts without loading the deployment code (and Ajv behind it).
 */

/** `deploy start` (foreground until done) and `deploy reconcile` (one tick). */
export function registerStartCommands(deploy: Command): void {
  addPlanOptions(addCommonOptions(deploy.command('start')))
    .description(
      'roll a flag out stage by stage: handed to the controller serving the flag file and followed (Ctrl-C stops following), or driven here in the foreground when none runs',
    )
    .option(
      '--detach',
      'return at once, leaving the rollout to a running controller (one is started in the background if none runs)',
    )
    .action(async (options: StartOptions) => {
      const { runDeploy } = await import('./deploy-start-run.js');
      process.exitCode = await runDeploy(options, 'start');
    });
  addPlanOptions(addCommonOptions(deploy.command('reconcile')))
    .description(
      'one idempotent step (advance, hold or roll back) for cron or CI; starts the deployment if there is none',
    )
    .action(async (options: StartOptions) => {
      const { runDeploy } = await import('./deploy-start-run.js');
      process.exitCode = await runDeploy(options, 'reconcile');
    });
}
