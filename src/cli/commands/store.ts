import type { Command } from 'commander';
import { registerPullCommand } from './pull.js';
import { registerPushCommand } from './push.js';

/** Registers `push` and `pull`, the commands that write and read the flag store. */
export function registerStoreCommands(program: Command): void {
  registerPushCommand(program);
  registerPullCommand(program);
}
