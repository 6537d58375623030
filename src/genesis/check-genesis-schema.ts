import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { genesisDocument } from '../generated/schema-validators/genesis-validators.js';
import { decodeJsonPointer } from '../flagd/parse/decode-json-pointer.js';
import { describeSchemaErrors, type SchemaHints } from '../schema/describe-schema-errors.js';
import type { GenesisProblem, PathSegment } from './genesis-document.js';

/** The schema ships with the package (`schemas/`), two folders up from both `src/genesis` and `dist/genesis`. */
export const GENESIS_SCHEMA_URL = new URL('../../schemas/genesis-flags.schema.json', import.meta.url);

let detailed: ValidateFunction | undefined;

/**
 * The validator that lists every error, compiled on the first invalid document only: the verdict on a
 * valid one comes from the quick validator compiled ahead by `npm run generate`
 * (scripts/generate-schema-validators.js, with these options less allErrors and verbose).
 */
function detailedValidator(): ValidateFunction {
  if (detailed === undefined) {
    const schema: unknown = JSON.parse(readFileSync(GENESIS_SCHEMA_URL, 'utf8'));
    // ajv takes about 0.2 CPU-s to load and is needed only here, for an invalid document: loaded now, not at start.
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof AjvModule;
    // `verbose` gives each error its parent schema, whose known fields a typo is compared with.
    detailed = new Ajv({ allErrors: true, allowUnionTypes: true, verbose: true }).compile(schema as object);
  }
  return detailed;
}

/** Checks a raw document against `schemas/genesis-flags.schema.json`; one problem per violation. */
export function checkGenesisSchema(raw: unknown): GenesisProblem[] {
  if (genesisDocument(raw)) return [];
  const validate = detailedValidator();
  validate(raw);
  // `if` only reports that its `then`/`else` branch failed; that branch's own error says what is wrong.
  return (validate.errors ?? []).filter((error) => error.keyword !== 'if').map((error) => toProblem(raw, error));
}

function toProblem(raw: unknown, error: ErrorObject): GenesisProblem {
  const path = decodeJsonPointer(error.instancePath, raw);
  const params = error.params as Record<string, unknown>;
  // A missing or unknown field is said of the field itself, so the problem points at its line.
  const field =
    error.keyword === 'required'
      ? params['missingProperty']
      : error.keyword === 'additionalProperties'
        ? params['additionalProperty']
        : undefined;
  const at = field === undefined ? path : [...path, String(field)];
  const hints: SchemaHints = { extraKeysAreFields: true, patternMessage: () => patternMessage(path) };
  return { path: at, message: describeSchemaErrors([error], hints).join('; ') };
}

function patternMessage(path: readonly PathSegment[]): string {
  const field = path.findLast((segment) => typeof segment === 'string');
  return field === 'requires'
    ? 'must name a flag key, optionally prefixed by one "!"'
    : 'must be an ISO 8601 date (2025-10-18) or date-time with a zone (2025-10-18T09:00:00Z)';
}
