import type { Command } from 'commander';
import { STORE_VARIABLE } from '../../store/resolve-store-location.js';
import { redactStoreUrl } from '../../store/store-url.js';
import { DEFAULT_CONFIG_FILE, durationArg } from './deploy-options.js';

interface ControllerFlags {
  readonly state?: string;
  readonly untilIdle?: true;
  readonly store?: string;
  readonly flagSet?: string;
  readonly leaseTtl?: number;
  readonly deliveryTimeout?: number;
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
    .option(
      '--store <url>',
      `drive the rollout of a flag set in this Redis store instead (one controller at a time, by lease; env ${STORE_VARIABLE})`,
    )
    .option('--flag-set <id>', 'with --store: the flag set (default: default)')
    .option(
      '--lease-ttl <duration>',
      'with --store: the lease a leader renews while it works (default: 5s)',
      durationArg,
    )
    .option(
      '--delivery-timeout <duration>',
      'with --store: how long a stage waits for every replica to send its revision to all its streams before the rollout pauses (default: 60s)',
      durationArg,
    )
    .option('--until-idle', 'exit once none of the rollouts is running (how `deploy start --detach` runs it)')
    .action(async (files: string[], flags: ControllerFlags) => {
      const { runRolloutController, timestampedLog } = await import('./controller-run.js');
      const abort = new AbortController();
      const stop = (): void => abort.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const log = timestampedLog(process.stderr);
      // An empty variable counts as unset, as for every other option read from the environment.
      const store = flags.store ?? (process.env[STORE_VARIABLE] || undefined);
      const watched = store === undefined ? (files.length === 0 ? [DEFAULT_CONFIG_FILE] : files) : [store];
      log(`controller pid ${process.pid} watching ${watched.map(redactStoreUrl).join(', ')}`);
      await runRolloutController(
        {
          files: files.length === 0 ? [DEFAULT_CONFIG_FILE] : files,
          ...(flags.state === undefined ? {} : { state: flags.state }),
          ...(store === undefined ? {} : { store }),
          ...(flags.flagSet === undefined ? {} : { flagSet: flags.flagSet }),
          ...(flags.leaseTtl === undefined ? {} : { leaseTtl: flags.leaseTtl }),
          ...(flags.deliveryTimeout === undefined ? {} : { deliveryTimeout: flags.deliveryTimeout }),
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
