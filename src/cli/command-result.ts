import type { Failure, Result } from '../errors/result.js';

/** Every command's exit codes: one table for the flag commands, `serve` and `deploy` (see `EXIT_CODE_MEANINGS`). */
export const EXIT_CODES = { ok: 0, invalid: 1, unreadable: 2, rolledBack: 3, paused: 4 } as const;

/** What each exit code means, as `--help` and README print them. */
export const EXIT_CODE_MEANINGS: Readonly<Record<(typeof EXIT_CODES)[keyof typeof EXIT_CODES], string>> = {
  0: 'done: files valid, flag evaluated, server stopped cleanly, deployment completed or still running',
  1: 'invalid input: a bad option value, an invalid flag file, a flag not found, a plan that cannot run',
  2: 'a file that cannot be read or parsed (flag file, state file), a lock held by another process, a store that cannot be reached or changed during a push, or an unexpected failure',
  3: 'deploy: the deployment rolled back',
  4: 'deploy: the deployment is paused or was interrupted',
};

/** The exit-code table appended to every command's `--help`. */
export function exitCodeHelp(): string {
  const rows = Object.entries(EXIT_CODE_MEANINGS).map(([code, meaning]) => `  ${code}  ${meaning}`);
  return `\nExit codes:\n${rows.join('\n')}`;
}

/** The exit codes of the flag commands. */
export type ExitCode = typeof EXIT_CODES.ok | typeof EXIT_CODES.invalid | typeof EXIT_CODES.unreadable;

/** Why a command cannot go on: its exit code and the lines it prints on stderr. */
export interface CommandError {
  readonly exitCode: Exclude<ExitCode, 0>;
  readonly lines: readonly string[];
}

/** A command's failure, as a value. */
export type CommandFailure = Failure<CommandError>;

/** A step of a command: its value, or the failure that ends the command. */
export type Step<T> = Result<T, CommandError>;

/** What a command prints and how it exits. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: readonly string[];
  readonly exitCode: ExitCode;
}

export function failure(exitCode: Exclude<ExitCode, 0>, ...lines: string[]): CommandFailure {
  return { ok: false, error: { exitCode, lines } };
}

/**
 * A failure as a command's result: every line on stderr; with `--json`, also on stdout as
 * `{ "error": { "exitCode", "message" } }`, so that a script reading stdout always gets JSON.
 */
export function failed({ error }: CommandFailure, json = false): CommandResult {
  const body = { error: { exitCode: error.exitCode, message: error.lines.join('\n') } };
  return {
    stdout: json ? `${JSON.stringify(body, null, 2)}\n` : '',
    stderr: error.lines,
    exitCode: error.exitCode,
  };
}

/**
 * Prints a result and sets the exit code. `process.exitCode` rather than `process.exit()`, so that
 * output piped to another program is flushed before the process ends.
 */
export function finish(result: CommandResult): void {
  if (result.stdout !== '') process.stdout.write(result.stdout);
  if (result.stderr.length > 0) process.stderr.write(`${result.stderr.join('\n')}\n`);
  process.exitCode = result.exitCode;
}
