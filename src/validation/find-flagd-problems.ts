import { defaultVariantProblem } from '../flagd/parse/default-variant-problem.js';
import { listDocumentFlags } from '../flagd/parse/list-document-flags.js';
import { findDocumentViolations } from '../flagd/parse/find-document-violations.js';
import { isJsonObject } from '../document/json-object.js';
import { createRefResolver } from '../flagd/parse/resolve-evaluator-refs.js';
import type { SchemaViolation } from '../flagd/parse/schema-violation.js';
import { compileTargeting } from '../flagd/targeting/compile-targeting.js';

/**
 * Everything wrong with a flagd document, as `validate` reports it: flagd's schema violations (which
 * the provider only warns about), a `defaultVariant` naming no variant (which rejects the document),
 * and targeting that cannot work: a `$ref` to no evaluator, or a rule that does not compile (that
 * flag answers PARSE_ERROR) where the schema has not already said why, as it does for unknown operators.
 */
export function findFlagdProblems(raw: unknown): SchemaViolation[] {
  const violations = findDocumentViolations(raw, 'flagd');
  if (!isJsonObject(raw)) return violations;
  const evaluators = isJsonObject(raw['$evaluators']) ? Object.entries(raw['$evaluators']) : [];
  const resolveRefs = createRefResolver(new Map(evaluators));
  const semantic = listedFlags(raw['flags']).flatMap(([path, flag]) => {
    const key = typeof flag['key'] === 'string' ? flag['key'] : String(path.at(-1));
    const targeting = targetingProblems(path, key, flag['targeting'], resolveRefs);
    const explained = violations.some((violation) => startsWith(violation.path, [...path, 'targeting']));
    const unexplained = targeting
      .filter((problem) => problem.kind === 'ref' || !explained)
      .map((problem) => ({ path: problem.path, message: problem.message }));
    return [...defaultVariantProblems(path, flag), ...unexplained];
  });
  return [...violations, ...semantic];
}

type FlagAt = readonly [readonly (string | number)[], Readonly<Record<string, unknown>>];

/** Each flag object with its path, from the map form or the list form. */
function listedFlags(flags: unknown): FlagAt[] {
  return listDocumentFlags(flags).flatMap(({ path, definition }): FlagAt[] =>
    isJsonObject(definition) ? [[path, definition]] : [],
  );
}

function defaultVariantProblems(path: FlagAt[0], flag: FlagAt[1]): SchemaViolation[] {
  const name = flag['defaultVariant'];
  const variants = isJsonObject(flag['variants']) ? flag['variants'] : {};
  const problem = typeof name === 'string' && name !== '' ? defaultVariantProblem(name, variants) : undefined;
  return problem === undefined ? [] : [{ path: [...path, 'defaultVariant'], message: problem }];
}

type TargetingProblem = SchemaViolation & { readonly kind: 'ref' | 'compile' };

function targetingProblems(
  path: FlagAt[0],
  key: string,
  targeting: unknown,
  resolveRefs: ReturnType<typeof createRefResolver>,
): TargetingProblem[] {
  if (targeting === undefined) return [];
  const resolved = resolveRefs(targeting);
  if (!resolved.ok) return [{ kind: 'ref', path: [...path, 'targeting'], message: resolved.error }];
  const compiled = compileTargeting(resolved.value, key);
  return typeof compiled === 'string' ? [{ kind: 'compile', path: [...path, 'targeting'], message: compiled }] : [];
}

function startsWith(path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
  return prefix.every((segment, index) => path[index] === segment);
}
