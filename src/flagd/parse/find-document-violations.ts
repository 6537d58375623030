import { explainSchemaErrors } from './explain-schema-errors.js';
import { checkFlagdSchemaPart, type FlagdSchemaPart } from './flagd-schemas.js';
import { isJsonObject } from '../../document/json-object.js';
import { underPath, type PathSegment, type SchemaViolation } from './schema-violation.js';

/** `flagd` accepts `flags` as a map or a list (the daemon); `provider` only as a map (in-process providers). */
export type DocumentForm = 'flagd' | 'provider';

/** A flag in the map form (`flag`, named by its key) or the list form (`listed-flag`, named by key or index). */
export type FlagPart = 'flag' | 'listed-flag';

/**
 * Finds the violations of one flag, placed under `flags.<name>`; `checkFlag`, or a cache in front of it
 * (the result depends on nothing but the three arguments).
 */
export type FlagCheck = (part: FlagPart, name: PathSegment, flag: unknown) => readonly SchemaViolation[];

/**
 * Checks a flagd document part by part (each flag, each evaluator, the metadata), so that every
 * violation is reported under the flag or evaluator it concerns. Together the parts make up the whole
 * document schema, so the document is valid exactly when this finds nothing.
 */
export function findDocumentViolations(
  document: unknown,
  form: DocumentForm,
  check: FlagCheck = checkFlag,
): SchemaViolation[] {
  if (!isJsonObject(document)) return [{ path: [], message: 'must be an object with a "flags" object' }];
  return [
    ...flagsViolations(document['flags'], form, check),
    ...evaluatorsViolations(document['$evaluators']),
    ...partViolations('flag-set-metadata', document['metadata'], ['metadata'], true),
  ];
}

/** Checks a value against one part of the schema; violations are placed under `path`. */
export function partViolations(
  part: FlagdSchemaPart,
  value: unknown,
  path: readonly PathSegment[],
  perField: boolean,
): SchemaViolation[] {
  if (value === undefined) return [];
  const check = checkFlagdSchemaPart(part, value);
  if (check.valid) return [];
  if (check.tooDeep)
    return [{ path: isFlagPart(part) ? [...path, 'targeting'] : path, message: 'is nested too deeply to check' }];
  return underPath(path, explainSchemaErrors(check.errors, value, { perField }));
}

/** Within a flag only the targeting nests without bound, so that is where a too-deep flag is too deep. */
function isFlagPart(part: FlagdSchemaPart): boolean {
  return part === 'flag' || part === 'listed-flag';
}

/** The violations of one flag: its key (in the map form) and its definition. */
export function checkFlag(part: FlagPart, name: PathSegment, flag: unknown): SchemaViolation[] {
  const keyProblems = part === 'flag' && typeof name === 'string' ? keyViolations(name, ['flags']) : [];
  return [...keyProblems, ...partViolations(part, flag, ['flags', name], true)];
}

function flagsViolations(flags: unknown, form: DocumentForm, check: FlagCheck): SchemaViolation[] {
  if (flags === undefined) return [{ path: ['flags'], message: 'is required' }];
  if (Array.isArray(flags) && form === 'flagd') {
    return flags.flatMap((flag: unknown, index) => check('listed-flag', listedFlagName(flag, index), flag));
  }
  if (!isJsonObject(flags)) {
    const expected =
      form === 'flagd' ? 'an object keyed by flag key, or a list of flags' : 'an object keyed by flag key';
    return [{ path: ['flags'], message: `must be ${expected}` }];
  }
  return Object.entries(flags).flatMap(([key, flag]) => check('flag', key, flag));
}

function evaluatorsViolations(evaluators: unknown): SchemaViolation[] {
  if (evaluators === undefined) return [];
  if (!isJsonObject(evaluators)) return [{ path: ['$evaluators'], message: 'must be an object of named rules' }];
  return Object.entries(evaluators).flatMap(([name, rule]) => [
    ...keyViolations(name, ['$evaluators']),
    ...partViolations('targeting', rule, ['$evaluators', name], false),
  ]);
}

function keyViolations(key: string, path: readonly PathSegment[]): SchemaViolation[] {
  return checkFlagdSchemaPart('key', key).valid
    ? []
    : [{ path, message: `key ${JSON.stringify(key)} must be at least one character, on one line` }];
}

/** A listed flag is named by its key where it has one, so that warnings name the flag. */
function listedFlagName(flag: unknown, index: number): PathSegment {
  const key = isJsonObject(flag) ? flag['key'] : undefined;
  return typeof key === 'string' && key !== '' ? key : index;
}
