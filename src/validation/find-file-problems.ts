import type { RequiresScope } from '../genesis/check-requires.js';
import type { PathSegment } from '../genesis/genesis-document.js';
import { findGenesisProblems } from '../genesis/find-genesis-problems.js';
import { formatProblemPath, resolveSourcePath } from '../genesis/problem-path.js';
import { findFlagdProblems } from './find-flagd-problems.js';
import { locatePath } from './locate-path.js';
import type { ParsedFlagFile } from './parsed-flag-file.js';

/** One thing wrong in a flag file. */
export interface FileProblem {
  /** The logical path that is printed: `flags.a.end_date`, also for a field an old Python file nests under `config`. */
  readonly path: readonly PathSegment[];
  /** Where the value is written in the file, to locate it by line and column. */
  readonly sourcePath: readonly PathSegment[];
  readonly message: string;
}

/** An error makes the file invalid; a warning is worth reading but the file loads. */
export type ProblemSeverity = 'error' | 'warning';

/** A problem placed in its file: what `validate` prints as `file:line:col  path  message`. */
export interface LocatedProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** `flags.<key>.<field>`, or `document` for the file as a whole. */
  readonly path: string;
  readonly message: string;
  readonly severity: ProblemSeverity;
}

/**
 * Every problem of a file in its own format, in one pass: the Genesis schema and rules, or flagd's. With
 * a scope, a Genesis flag's parents may be in the other files it names.
 */
export function findFileProblems(file: ParsedFlagFile, scope?: RequiresScope): FileProblem[] {
  if (file.format === 'flagd') {
    return findFlagdProblems(file.raw).map((problem) => ({ ...problem, sourcePath: problem.path }));
  }
  return findGenesisProblems(file.raw, scope).map((problem) => ({
    ...problem,
    sourcePath: resolveSourcePath(file.raw, problem.path),
  }));
}

/** Every problem of a file located by line and column, in the order they appear in the file. */
export function locateFileProblems(file: ParsedFlagFile, scope?: RequiresScope): LocatedProblem[] {
  return findFileProblems(file, scope)
    .map((problem): LocatedProblem => {
      const at = locatePath(file.text, file.path, problem.sourcePath);
      const path = problem.path.length === 0 ? 'document' : formatProblemPath(problem.path);
      return { file: file.path, ...at, path, message: problem.message, severity: 'error' };
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/** `file:line:col  path  message`, a warning's message prefixed with `warning: `. */
export function formatLocatedProblem(problem: LocatedProblem): string {
  const message = problem.severity === 'warning' ? `warning: ${problem.message}` : problem.message;
  return `${problem.file}:${problem.line}:${problem.column}  ${problem.path}  ${message}`;
}

/** Every problem of a file as `file:line:col  flags.<key>.<field>  message`, in the order they appear in the file. */
export function describeFileProblems(file: ParsedFlagFile, scope?: RequiresScope): string[] {
  return locateFileProblems(file, scope).map(formatLocatedProblem);
}
