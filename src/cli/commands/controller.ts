import type { Command } from 'commander';
import { DEFAULT_CONFIG_FILE } from './deploy-options.js';

interface ControllerFlags {
  readonly state?: string;
  readonly untilIdle?: true;
}

/** Registers `controller [files...]`: the rollout controller alone, without serving flags. */
export function registerControllerCommand(program: Command): void {
  program
    .command('controller')
    .description(
      'drive the rollouts of these flag files (their deployments beside each file) until SIGINT/SIGTERM; `serve` runs the same controller',
    )
    .argument('[files...]', `flag files (default: ${DEFAULT_CONFIG_FILE})`)
    .option('--state <path>', 'with one flag file: its deployment state file, if not the default one beside it')
    .option('--until-idle', 'exit once none of the rollouts is running (how `deploy start --detach` runs it)')
    .action(async (files: string[], flags: ControllerFlags) => {
      const { runRolloutController, timestampedLog } = await import('./controller-run.js');
      const abort = new AbortController();
      const stop = (): void => abort.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const log = timestampedLog(process.stderr);
      log(`controller pid ${process.pid} watching ${(files.length === 0 ? [DEFAULT_CONFIG_FILE] : files).join(', ')}`);
      await runRolloutController(
        {
          files: files.length === 0 ? [DEFAULT_CONFIG_FILE] : files,
          ...(flags.state === undefined ? {} : { state: flags.state }),
          untilIdle: flags.untilIdle === true,
          command: 'controller',
          log,
        },
        abort.signal,
      );
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    });
}
