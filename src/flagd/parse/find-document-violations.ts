import { explainSchemaErrors } from './explain-schema-errors.js';
import { checkFlagdSchemaPart, type FlagdSchemaPart } from './flagd-schemas.js';
import { isJsonObject } from './json-object.js';
import { underPath, type PathSegment, type SchemaViolation } from './schema-violation.js';

/** `flagd` accepts `flags` as a map or a list (the daemon); `provider` only as a map (in-process providers). */
export type DocumentForm = 'flagd' | 'provider';

/**
 * Checks a flagd document part by part (each flag, each evaluator, the metadata), so that every
 * violation is reported under the flag or evaluator it concerns. Together the parts make up the whole
 * document schema, so the document is valid exactly when this finds nothing.
 */
export function findDocumentViolations(document: unknown, form: DocumentForm): SchemaViolation[] {
  if (!isJsonObject(document)) return [{ path: [], message: 'must be an object with a "flags" object' }];
  return [
    ...flagsViolations(document['flags'], form),
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
  if (check.tooDeep) return [{ path: isFlagPart(part) ? [...path, 'targeting'] : path, message: 'is nested too deeply to check' }];
  return underPath(path, explainSchemaErrors(check.errors, value, { perField }));
}

/** Within a flag only the targeting nests without bound, so that is where a too-deep flag is too deep. */
function isFlagPart(part: FlagdSchemaPart): boolean {
  return part === 'flag' || part === 'listed-flag';
}

function flagsViolations(flags: unknown, form: DocumentForm): SchemaViolation[] {
  if (flags === undefined) return [{ path: ['flags'], message: 'is required' }];
  if (Array.isArray(flags) && form === 'flagd') {
    return flags.flatMap((flag, index) => partViolations('listed-flag', flag, ['flags', listedFlagName(flag, index)], true));
  }
  if (!isJsonObject(flags)) {
    const expected = form === 'flagd' ? 'an object keyed by flag key, or a list of flags' : 'an object keyed by flag key';
    return [{ path: ['flags'], message: `must be ${expected}` }];
  }
  return Object.entries(flags).flatMap(([key, flag]) => [
    ...keyViolations(key, ['flags']),
    ...partViolations('flag', flag, ['flags', key], true),
  ]);
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
  return checkFlagdSchemaPart('key', key).valid ? [] : [{ path, message: `key ${JSON.stringify(key)} must be at least one character, on one line` }];
}

/** A listed flag is named by its key where it has one, so that warnings name the flag. */
function listedFlagName(flag: unknown, index: number): PathSegment {
  const key = isJsonObject(flag) ? flag['key'] : undefined;
  return typeof key === 'string' && key !== '' ? key : index;
}
