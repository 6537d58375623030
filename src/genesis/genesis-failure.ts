import type { Failure } from '../errors/result.js';
import type { GenesisProblem } from './genesis-document.js';
import { formatProblemPath } from './problem-path.js';

/** A failure whose `error` lists every problem on its own line, as `path  message`. */
export function genesisFailure(subject: string, problems: readonly GenesisProblem[]): Failure {
  const lines = problems.map((problem) => `  ${formatProblemPath(problem.path)}  ${problem.message}`);
  return { ok: false, error: [`${subject}:`, ...lines].join('\n') };
}
