import type { Command } from 'commander';
import type { ServeOptions } from '../../server/serve-config.js';
import { durationArg } from './deploy-options.js';

/** The `serve` options that matter with `--store` only. */
export interface FleetFlags {
  readonly presenceInterval?: number;
}

/** Adds the fleet options of `serve --store` (docs/STORE.md). */
export function addFleetOptions(command: Command): Command {
  return command.option(
    '--presence-interval <duration>',
    'with --store: how often this replica refreshes its presence in the store; it expires after three (default: 2s)',
    durationArg,
  );
}

/** The server options among the fleet flags. */
export function fleetServeOptionsOf(flags: FleetFlags): ServeOptions {
  return flags.presenceInterval === undefined ? {} : { presenceIntervalMs: flags.presenceInterval };
}
