import type { Command } from 'commander';
import { addCommonOptions } from './deploy-options.js';
import type { HistoryOptions, StatusOptions } from './deploy-status-run.js';

/** `deploy status` and `deploy history`: read-only, no lock taken (implementation loaded on use). */
export function registerStatusCommands(deploy: Command): void {
  addCommonOptions(deploy.command('status'))
    .description('where the deployment is: stage, exposure, last verdicts, controller')
    .option('--watch', 'redraw as it changes, until Ctrl-C')
    .action(async (options: StatusOptions) => {
      const { showStatus } = await import('./deploy-status-run.js');
      process.exitCode = await showStatus(options);
    });
  addCommonOptions(deploy.command('history'))
    .description('the journal: every transition with the numbers that justified it')
    .option('--flag <key>', 'only this flag')
    .action(async (options: HistoryOptions) => {
      const { showHistory } = await import('./deploy-status-run.js');
      process.exitCode = await showHistory(options);
    });
}
