import type { Command } from 'commander';
import type { ServeOptions } from '../../server/serve-config.js';
import { durationArg } from './deploy-options.js';
import type { StoreControllerSettings } from './server-options.js';

/** The `serve` options that matter with `--store` only: the replica's presence and its controller. */
export interface FleetFlags {
  readonly presenceInterval?: number;
  readonly leaseTtl?: number;
  readonly deliveryTimeout?: number;
}

/** Adds the fleet options of `serve --store` (docs/STORE.md, docs/DEPLOYMENT.md). */
export function addFleetOptions(command: Command): Command {
  return command
    .option(
      '--presence-interval <duration>',
      'with --store: how often this replica refreshes its presence in the store; it expires after three (default: 2s)',
      durationArg,
    )
    .option(
      '--lease-ttl <duration>',
      'with --store: the controller lease the leading replica renews while it drives a rollout (default: 5s)',
      durationArg,
    )
    .option(
      '--delivery-timeout <duration>',
      'with --store: how long a stage waits for every replica to send its revision to all its streams before the rollout pauses (default: 60s)',
      durationArg,
    );
}

/** The server options among the fleet flags. */
export function fleetServeOptionsOf(flags: FleetFlags): ServeOptions {
  return flags.presenceInterval === undefined ? {} : { presenceIntervalMs: flags.presenceInterval };
}

/** The store controller's settings among the fleet flags. */
export function fleetControllerOf(flags: FleetFlags): StoreControllerSettings {
  return {
    ...(flags.leaseTtl === undefined ? {} : { leaseTtl: flags.leaseTtl }),
    ...(flags.deliveryTimeout === undefined ? {} : { deliveryTimeout: flags.deliveryTimeout }),
  };
}
