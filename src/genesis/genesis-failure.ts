import type { GenesisOutcome, GenesisProblem } from './genesis-document.js';
import { formatProblemPath } from './problem-path.js';

/** A failed outcome whose `error` lists every problem on its own line, as `path  message`. */
export function genesisFailure(subject: string, problems: readonly GenesisProblem[]): GenesisOutcome<never> {
  const lines = problems.map((problem) => `  ${formatProblemPath(problem.path)}  ${problem.message}`);
  return { ok: false, error: [`${subject}:`, ...lines].join('\n'), problems };
}
