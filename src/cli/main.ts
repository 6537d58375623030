#!/usr/bin/env node
import { Command } from 'commander';
import { registerDeployCommands } from './commands/deploy.js';
import { registerServeCommands } from './commands/serve.js';
import { registerFlagCommands } from './register-flag-commands.js';

/** Builds the `genesis-flags` command line; each command group registers itself from its own file. */
export function buildProgram(): Command {
  const program = new Command('genesis-flags')
    .description('Feature flags on OpenFeature and flagd: check, evaluate, serve and roll out flags')
    .showHelpAfterError();
  registerDeployCommands(program);
  registerServeCommands(program);
  registerFlagCommands(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
