import type { Command } from 'commander';
import { SERVE_DEFAULTS } from '../../server/serve-config.js';
import {
  addServerOptions,
  listeningLine,
  serveFromCommandLine,
  serveOptionsOf,
  type ServerFlags,
} from './server-options.js';
import { addFleetOptions, fleetControllerOf, fleetServeOptionsOf, type FleetFlags } from './serve-fleet-options.js';
import { registerStartCommand } from './start.js';

/** Registers `serve` (the flagd sync server over flag files) and `start` (the same on the shipped config). */
export function registerServeCommands(program: Command): void {
  addFleetOptions(
    addServerOptions(
      program
        .command('serve')
        .description(
          'serve flag files (Genesis or flagd) to flagd providers over the flagd.sync.v1 gRPC protocol; SIGINT/SIGTERM drain and exit 0',
        )
        .argument(
          '[files...]',
          `flag files, later ones winning per key (default: ${SERVE_DEFAULTS.files.join(' ')}, env FLAGD_URI)`,
        ),
    ),
  ).action(async (files: string[], flags: ServerFlags & FleetFlags) => {
    process.exitCode = await serveFromCommandLine(
      { ...serveOptionsOf(flags, files), ...fleetServeOptionsOf(flags) },
      (server, config) => {
        process.stdout.write(`${listeningLine(server, config)}\n`);
      },
      flags.controller !== false,
      fleetControllerOf(flags),
    );
  });
  registerStartCommand(program);
}
