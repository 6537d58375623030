#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { exitCodeHelp } from './command-result.js';

type CommandGroup = (program: Command) => void;

/**
 * Each command group is imported only when its command runs: the server group pulls in gRPC and the
 * deploy group its metrics code, which would otherwise add hundreds of milliseconds to every call.
 */
const COMMAND_GROUPS = {
  flags: async (): Promise<CommandGroup> => (await import('./register-flag-commands.js')).registerFlagCommands,
  serve: async (): Promise<CommandGroup> => (await import('./commands/serve.js')).registerServeCommands,
  deploy: async (): Promise<CommandGroup> => (await import('./commands/deploy.js')).registerDeployCommands,
  store: async (): Promise<CommandGroup> => (await import('./commands/store.js')).registerStoreCommands,
} as const;

type GroupName = keyof typeof COMMAND_GROUPS;

const GROUP_OF_COMMAND: Readonly<Record<string, GroupName>> = {
  validate: 'flags',
  list: 'flags',
  eval: 'flags',
  explain: 'flags',
  export: 'flags',
  plan: 'flags',
  serve: 'serve',
  start: 'serve',
  deploy: 'deploy',
  controller: 'deploy',
  push: 'store',
  pull: 'store',
};

/** The groups a command line needs: its command's own, or all of them for top-level help and typos. */
function groupsFor(argv: readonly string[]): GroupName[] {
  const command = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const group = command === undefined ? undefined : GROUP_OF_COMMAND[command];
  return group === undefined ? (Object.keys(COMMAND_GROUPS) as GroupName[]) : [group];
}

/** The version of the installed package, read from its package.json next to `dist/`. */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** Builds the `genesis-flags` command line with the command groups that `argv` needs. */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('genesis-flags')
    .description('Feature flags on OpenFeature and flagd: check, evaluate, serve and roll out flags')
    .version(packageVersion(), '-V, --version')
    // A bad option value is one line naming the option and the accepted form, never the whole usage.
    .showHelpAfterError(false)
    .addHelpText('afterAll', exitCodeHelp());
  for (const name of groupsFor(argv)) (await COMMAND_GROUPS[name]())(program);
  return program;
}

await (await buildProgram(process.argv)).parseAsync(process.argv);
