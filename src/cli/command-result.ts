/** The flag commands' exit codes: 0 done, 1 invalid input or a flag not found, 2 a file that cannot be read. */
export const EXIT_CODES = { ok: 0, invalid: 1, unreadable: 2 } as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** Why a command cannot go on, as a value: its exit code and the lines it prints on stderr. */
export interface CommandFailure {
  readonly ok: false;
  readonly exitCode: Exclude<ExitCode, 0>;
  readonly lines: readonly string[];
}

/** A step of a command: its value, or the failure that ends the command. */
export type Step<T> = { readonly ok: true; readonly value: T } | CommandFailure;

/** What a command prints and how it exits. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: readonly string[];
  readonly exitCode: ExitCode;
}

export function failure(exitCode: Exclude<ExitCode, 0>, ...lines: string[]): CommandFailure {
  return { ok: false, exitCode, lines };
}

/** A failure as a command's result: nothing on stdout, every line on stderr. */
export function failed(failure: CommandFailure): CommandResult {
  return { stdout: '', stderr: failure.lines, exitCode: failure.exitCode };
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
