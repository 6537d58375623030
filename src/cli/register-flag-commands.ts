import type { Command } from 'commander';
import { registerEvalCommand } from './commands/eval.js';
import { registerExplainCommand } from './commands/explain.js';
import { registerExportCommand } from './commands/export.js';
import { registerListCommand } from './commands/list.js';
import { registerPlanCommand } from './commands/plan.js';
import { registerValidateCommand } from './commands/validate.js';

/** Registers the commands that check, list, evaluate, explain, export and plan flag files. */
export function registerFlagCommands(program: Command): void {
  registerValidateCommand(program);
  registerListCommand(program);
  registerEvalCommand(program);
  registerExplainCommand(program);
  registerExportCommand(program);
  registerPlanCommand(program);
}
