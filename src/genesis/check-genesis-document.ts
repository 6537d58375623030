import { checkRequires, type RequiresScope } from './check-requires.js';
import { checkRollout } from './check-rollout.js';
import type { GenesisDocument, GenesisProblem } from './genesis-document.js';

/**
 * The checks a JSON schema cannot state: unknown parents, `requires` cycles, dates in the wrong
 * order, percentages off the 0.01 grid, and the fields each strategy needs. Every problem is an error.
 * With a scope, parents are looked for in the other files too (see `RequiresScope`).
 */
export function checkGenesisDocument(doc: GenesisDocument, scope?: RequiresScope): GenesisProblem[] {
  const perFlag = Object.entries(doc.flags).flatMap(([key, flag]) => checkRollout(key, flag));
  return [...perFlag, ...checkRequires(doc.flags, scope)];
}
