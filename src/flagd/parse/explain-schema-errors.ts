import type { ErrorObject } from 'ajv';
import { decodeJsonPointer } from './decode-json-pointer.js';
import { describeSchemaErrors, type SchemaHints } from '../../schema/describe-schema-errors.js';
import { schemaLandmarks, type SchemaLandmarks } from './schema-landmarks.js';
import type { PathSegment, SchemaViolation } from './schema-violation.js';

/** How telling an error is; among errors at the same depth only the most telling rank is reported. */
type Rank = 1 | 2 | 3;
const SHAPE: Rank = 1;
const EXTRA_KEY: Rank = 2;
const SPECIFIC: Rank = 3;

/** These only say that something below failed (a branch, a key); the errors from below say how. */
const WRAPPERS = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'propertyNames']);

interface Finding {
  readonly path: readonly PathSegment[];
  readonly rank: Rank;
  readonly error: ErrorObject;
}

export interface ExplainOptions {
  /** One violation per top-level field (a flag's `state`, `variants`, `targeting`...) instead of one overall. */
  readonly perField: boolean;
}

/**
 * Turns ajv's errors for one value into a few readable violations. A failing choice (anyOf/oneOf)
 * reports the errors of every branch, most of them irrelevant; like a "best match", this keeps the
 * deepest errors (the branch that got furthest), preferring specific rules over type mismatches.
 */
export function explainSchemaErrors(
  errors: readonly ErrorObject[],
  value: unknown,
  options: ExplainOptions,
): SchemaViolation[] {
  const landmarks = schemaLandmarks();
  const summaries = variantSummaries(errors, value, landmarks);
  const findings = errors
    .filter((error) => !WRAPPERS.has(error.keyword) && !isOtherKeyOfReference(error, landmarks))
    .map((error) => toFinding(error, value))
    .filter((finding) => !summaries.some((summary) => isTypeErrorBelow(finding, summary.path)));
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const field = options.perField ? String(finding.path[0] ?? '') : '';
    groups.set(field, [...(groups.get(field) ?? []), finding]);
  }
  return [...summaries, ...[...groups.values()].flatMap((group) => bestOf(group, landmarks))];
}

function variantSummaries(
  errors: readonly ErrorObject[],
  value: unknown,
  landmarks: SchemaLandmarks,
): SchemaViolation[] {
  return errors
    .filter((error) => error.keyword === 'anyOf' && error.parentSchema === landmarks.variantsNode)
    .map((error) => ({
      path: decodeJsonPointer(error.instancePath, value),
      message: 'must all be booleans, all numbers, all strings or all objects',
    }));
}

function isTypeErrorBelow(finding: Finding, path: readonly PathSegment[]): boolean {
  return (
    finding.error.keyword === 'type' &&
    finding.path.length > path.length &&
    path.every((segment, i) => finding.path[i] === segment)
  );
}

/** In `{"$ref": "x", "y": 1}` the key check already reports "y"; the value check on "y" adds nothing. */
function isOtherKeyOfReference(error: ErrorObject, landmarks: SchemaLandmarks): boolean {
  return error.parentSchema === landmarks.referenceValueNode && !error.instancePath.endsWith('/$ref');
}

function toFinding(error: ErrorObject, value: unknown): Finding {
  const path = decodeJsonPointer(error.instancePath, value);
  if (error.keyword === 'required') {
    const missing = String((error.params as Record<string, unknown>)['missingProperty']);
    return { path: [...path, missing], rank: SPECIFIC, error };
  }
  return { path, rank: rankOf(error), error };
}

function rankOf(error: ErrorObject): Rank {
  if (error.keyword === 'additionalProperties') return EXTRA_KEY;
  return error.keyword === 'type' ? SHAPE : SPECIFIC;
}

function bestOf(group: readonly Finding[], landmarks: SchemaLandmarks): SchemaViolation[] {
  const depth = Math.max(...group.map((finding) => finding.path.length));
  const deepest = group.filter((finding) => finding.path.length === depth);
  const rank = Math.max(...deepest.map((finding) => finding.rank));
  const best = deepest.filter((finding) => finding.rank === rank);
  const byPath = new Map<string, Finding[]>();
  for (const finding of best) {
    const place = JSON.stringify(finding.path);
    byPath.set(place, [...(byPath.get(place) ?? []), finding]);
  }
  const places = [...byPath.values()];
  const kept = rank === SHAPE ? places.filter((place) => !places.some((other) => isFurther(other, place))) : places;
  return kept.flatMap((place) => {
    const path = place[0]?.path ?? [];
    return describeSchemaErrors(
      place.map((finding) => finding.error),
      flagdHints(landmarks),
    ).map((message) => ({ path, message }));
  });
}

/**
 * Among type mismatches at sibling array positions, the later one is where the branch that matched
 * longest gave up: `fractional: [["a", 1], "b"]` fails at position 1, not at 0 where the other form
 * already failed.
 */
function isFurther(candidate: readonly Finding[], than: readonly Finding[]): boolean {
  const a = candidate[0]?.path ?? [];
  const b = than[0]?.path ?? [];
  const index = a.findIndex((segment, i) => segment !== b[i]);
  const [x, y] = [a[index], b[index]];
  return typeof x === 'number' && typeof y === 'number' && x > y;
}

/** What the flagd schemas' own nodes mean: operator names, `$ref` objects, operands, patterns. */
function flagdHints(landmarks: SchemaLandmarks): SchemaHints {
  return {
    special: (error) => {
      const key = JSON.stringify(error.propertyName);
      if (error.keyword === 'enum' && error.parentSchema === landmarks.operatorNameNode)
        return `unknown operator ${key}`;
      if (error.keyword === 'const' && error.parentSchema === landmarks.referenceKeyNode)
        return `a {"$ref": name} object holds nothing else, found ${key}`;
      if (error.keyword === 'not' && error.parentSchema === landmarks.objectOperandNode)
        return 'must not be an empty object';
      return undefined;
    },
    patternMessage: (error) => landmarks.patternMessages.get(error.parentSchema),
  };
}
