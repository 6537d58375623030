import type { Command } from 'commander';
import { formatLocatedProblem } from '../../validation/find-file-problems.js';
import { parseFlagFile, type ParsedFlagFile } from '../../validation/parsed-flag-file.js';
import { requiresScopeAmong } from '../../validation/requires-scope.js';
import { validateParsedFlagFile, type FileValidation } from '../../validation/validate-flag-file.js';
import { EXIT_CODES, finish, type CommandResult, type ExitCode } from '../command-result.js';
import { readEnvOverrideSettings } from '../env-override-settings.js';
import { readTextFile } from '../read-text-file.js';

interface ValidateFlags {
  readonly json?: boolean;
}

/** Registers `validate <files...>`. */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description(
      'check flag files, Genesis or flagd, against their schema and rules, every problem in one run: file:line:col  path  message',
    )
    .argument('<files...>', 'flag files (JSON, or YAML by extension)')
    .option('--json', 'print the report as JSON on stdout: { valid, files: [{ file, status, problems, ... }] }')
    .action((files: string[], flags: ValidateFlags) => finish(validateCommand(files, flags)));
}

/**
 * Checks each file, every problem of a file in one run; a Genesis flag's parents may be in any of the
 * files given, later files winning per key, as a provider given the same files loads them. Valid files are confirmed on
 * stdout; problems and unreadable files go to stderr (all on stdout with `--json`). The exit code is
 * the worst outcome: 2 if any file cannot be read or parsed, else 1 if any has an error.
 */
export function validateCommand(files: readonly string[], flags: ValidateFlags = {}): CommandResult {
  // Settings problems are the provider's to report; here they only decide which collisions to warn about.
  const settings = readEnvOverrideSettings(process.env, () => {});
  const envPrefix = settings.enabled ? settings.prefix : undefined;
  const read = files.map(readFlagFile);
  const parsed = read.flatMap((file) => (file.ok ? [file.value] : []));
  const reports = read.map((file) =>
    file.ok
      ? validateParsedFlagFile(file.value, { envPrefix, scope: requiresScopeAmong(parsed, parsed.indexOf(file.value)) })
      : file.error,
  );
  const exitCode = worstExitCode(reports);
  if (flags.json === true) {
    const document = { valid: exitCode === EXIT_CODES.ok, files: reports };
    return { stdout: `${JSON.stringify(document, null, 2)}\n`, stderr: [], exitCode };
  }
  const stdout: string[] = [];
  const stderr: string[] = [];
  for (const report of reports) {
    if (report.status === 'unreadable') {
      stderr.push(report.error);
      continue;
    }
    stderr.push(...report.problems.map(formatLocatedProblem));
    if (report.status === 'valid') {
      stdout.push(`${report.file}: valid ${report.format} file, ${report.flagCount} flag(s)\n`);
    } else {
      stderr.push(`${report.file}: ${report.problems.length} problem(s)`);
    }
  }
  return { stdout: stdout.join(''), stderr, exitCode };
}

type ReadFlagFile = { ok: true; value: ParsedFlagFile } | { ok: false; error: FileValidation };

/** A file read and parsed, or its report as unreadable (cannot be read, or its text does not parse). */
function readFlagFile(path: string): ReadFlagFile {
  const text = readTextFile(path);
  if (!text.ok) return { ok: false, error: { file: path, status: 'unreadable', error: text.error.lines.join('\n') } };
  const parsed = parseFlagFile(path, text.value);
  return parsed.ok ? parsed : { ok: false, error: { file: path, status: 'unreadable', error: parsed.error } };
}

function worstExitCode(reports: readonly FileValidation[]): ExitCode {
  if (reports.some((report) => report.status === 'unreadable')) return EXIT_CODES.unreadable;
  return reports.some((report) => report.status === 'invalid') ? EXIT_CODES.invalid : EXIT_CODES.ok;
}
