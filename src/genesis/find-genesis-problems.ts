import { checkGenesisDocument } from './check-genesis-document.js';
import { checkGenesisSchema } from './check-genesis-schema.js';
import type { RequiresScope } from './check-requires.js';
import type { GenesisFlag, GenesisProblem, PathSegment } from './genesis-document.js';
import { flattenGenesisFlag } from './flatten-genesis-flag.js';
import { FIELD_LAYERS } from './problem-path.js';

type RawFlags = Record<string, Record<string, unknown>>;

/**
 * Every problem of a raw Genesis document in one pass: the schema's, and the rules' (unknown parents,
 * cycles, dates in the wrong order, empty canaries, ...) on what the schema accepted. A field the
 * schema rejects is left out of the rule checks, and so are the rule problems about such a field, so
 * that one mistake is reported once (`rollout_percentage: 150` is out of range, not also missing).
 */
export function findGenesisProblems(raw: unknown, scope?: RequiresScope): GenesisProblem[] {
  const schemaProblems = checkGenesisSchema(raw);
  const rawFlags = flagsOf(raw);
  if (rawFlags === undefined) return schemaProblems;
  const rejected = rejectedFields(schemaProblems);
  // fromEntries, not assignment: a flag named "__proto__" stays a flag.
  const flags: Record<string, GenesisFlag> = Object.fromEntries(
    Object.entries(rawFlags)
      .filter(([, flag]) => typeof flag === 'object' && flag !== null && !Array.isArray(flag))
      .map(([key, flag]) => [key, flattenGenesisFlag(withoutFields(flag, rejected.get(key)))]),
  );
  const ruleProblems = checkGenesisDocument({ flags }, scope).filter(
    (problem) => !isRejected(rejected, problem.path[1], problem.path[2]),
  );
  return [...schemaProblems, ...ruleProblems];
}

function flagsOf(raw: unknown): RawFlags | undefined {
  const flags = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['flags'] : undefined;
  return typeof flags === 'object' && flags !== null && !Array.isArray(flags) ? (flags as RawFlags) : undefined;
}

/** A rejected field: the layer it is written in (`[]`, `['config']`, ...) and its name. */
interface RejectedField {
  readonly layer: readonly string[];
  readonly field: string;
}

/** Per flag key, the fields a schema problem points into, each in the most specific layer it is written. */
function rejectedFields(problems: readonly GenesisProblem[]): Map<string, RejectedField[]> {
  const rejected = new Map<string, RejectedField[]>();
  for (const { path } of problems) {
    const [root, key, ...rest] = path;
    if (root !== 'flags' || typeof key !== 'string') continue;
    const layer = [...FIELD_LAYERS]
      .reverse()
      .find((candidate) => startsWith(rest, candidate) && rest.length > candidate.length);
    const field = layer === undefined ? undefined : rest[layer.length];
    if (layer === undefined || typeof field !== 'string') continue;
    rejected.set(key, [...(rejected.get(key) ?? []), { layer, field }]);
  }
  return rejected;
}

function isRejected(
  rejected: ReadonlyMap<string, RejectedField[]>,
  key: PathSegment | undefined,
  field: PathSegment | undefined,
): boolean {
  if (typeof key !== 'string') return false;
  return (rejected.get(key) ?? []).some((entry) => entry.field === field);
}

/** A copy of the raw flag without the rejected fields (the caller's document is left as it is). */
function withoutFields(
  flag: Record<string, unknown>,
  fields: readonly RejectedField[] | undefined,
): Record<string, unknown> {
  if (fields === undefined) return flag;
  const copy = structuredClone(flag);
  for (const { layer, field } of fields) {
    let node: unknown = copy;
    for (const segment of layer)
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
    if (typeof node === 'object' && node !== null) delete (node as Record<string, unknown>)[field];
  }
  return copy;
}

function startsWith(path: readonly PathSegment[], prefix: readonly string[]): boolean {
  return prefix.every((segment, index) => path[index] === segment);
}
