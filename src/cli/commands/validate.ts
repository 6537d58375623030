import type { Command } from 'commander';
import { EXIT_CODES, finish, type CommandResult, type ExitCode } from '../command-result.js';
import { describeFileProblems } from '../file-problems.js';
import { readParsedFlagFile, type ParsedFlagFile } from '../read-parsed-flag-file.js';

/** Registers `validate <files...>`. */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description(
      'check flag files, Genesis or flagd, against their schema and rules; every problem on its own line as file:line:col  path  message; exit 0 valid, 1 invalid, 2 unreadable',
    )
    .argument('<files...>', 'flag files (JSON, or YAML by extension)')
    .action((files: string[]) => finish(validateCommand(files)));
}

/**
 * Checks each file on its own. Valid files are confirmed on stdout; problems and unreadable files go
 * to stderr. The exit code is the worst outcome: 2 if any file cannot be read or parsed, else 1 if
 * any has a problem.
 */
export function validateCommand(files: readonly string[]): CommandResult {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let exitCode: ExitCode = EXIT_CODES.ok;
  for (const path of files) {
    const read = readParsedFlagFile(path);
    if (!read.ok) {
      stderr.push(...read.lines);
      exitCode = EXIT_CODES.unreadable;
      continue;
    }
    const problems = describeFileProblems(read.value);
    if (problems.length === 0) {
      stdout.push(`${path}: valid ${read.value.format} file, ${flagCount(read.value)} flag(s)`);
      continue;
    }
    stderr.push(...problems, `${path}: ${problems.length} problem(s)`);
    if (exitCode === EXIT_CODES.ok) exitCode = EXIT_CODES.invalid;
  }
  return { stdout: stdout.map((line) => `${line}\n`).join(''), stderr, exitCode };
}

function flagCount(file: ParsedFlagFile): number {
  const flags = (file.raw as { flags?: unknown }).flags;
  return typeof flags === 'object' && flags !== null ? Object.keys(flags).length : 0;
}
