import type { PathSegment } from '../genesis/genesis-document.js';
import { formatProblemPath, resolveSourcePath } from '../genesis/problem-path.js';
import { readGenesisDocument } from '../genesis/read-genesis-document.js';
import { findFlagdProblems } from './flagd-problems.js';
import { locatePath } from './locate-path.js';
import type { ParsedFlagFile } from './read-parsed-flag-file.js';

/** One thing wrong in a flag file. */
export interface FileProblem {
  /** The logical path that is printed: `flags.a.end_date`, also for a field an old Python file nests under `config`. */
  readonly path: readonly PathSegment[];
  /** Where the value is written in the file, to locate it by line and column. */
  readonly sourcePath: readonly PathSegment[];
  readonly message: string;
}

/** Every problem of a file in its own format: the Genesis schema and checks, or flagd's. */
export function findFileProblems(file: ParsedFlagFile): FileProblem[] {
  if (file.format === 'flagd') {
    return findFlagdProblems(file.raw).map((problem) => ({ ...problem, sourcePath: problem.path }));
  }
  const read = readGenesisDocument(file.raw, file.path);
  if (read.ok) return [];
  return read.problems.map((problem) => ({ ...problem, sourcePath: resolveSourcePath(file.raw, problem.path) }));
}

/** Every problem of a file as `file:line:col  flags.<key>.<field>  message`, in the order they appear in the file. */
export function describeFileProblems(file: ParsedFlagFile): string[] {
  return findFileProblems(file)
    .map((problem) => ({ problem, at: locatePath(file.text, file.path, problem.sourcePath) }))
    .sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column)
    .map(({ problem, at }) => {
      const path = problem.path.length === 0 ? 'document' : formatProblemPath(problem.path);
      return `${file.path}:${at.line}:${at.column}  ${path}  ${problem.message}`;
    });
}
