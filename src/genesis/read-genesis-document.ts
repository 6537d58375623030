import { checkGenesisDocument } from './check-genesis-document.js';
import { checkGenesisSchema } from './check-genesis-schema.js';
import type { GenesisDocument, GenesisFlag, GenesisOutcome } from './genesis-document.js';
import { genesisFailure } from './genesis-failure.js';
import { FIELD_LAYERS } from './problem-path.js';

const FLAG_FIELDS = [
  'enabled',
  'description',
  'rollout_strategy',
  'rollout_percentage',
  'start_date',
  'end_date',
  'initial_percentage',
  'end_percentage',
  'steps',
  'canary_users',
  'canary_regions',
  'requires',
  'category',
  'metadata',
] as const;

/** What the old Python system kept in `progressive_config`. */
const PROGRESSIVE_FIELDS = [
  'start_date',
  'end_date',
  'initial_percentage',
  'end_percentage',
  'canary_users',
  'canary_regions',
] as const;

const DOCUMENT_FIELDS = ['$schema', 'format', 'version', 'metadata'] as const;

/**
 * Reads a parsed Genesis file: checks it against the schema, lifts the old Python system's nested
 * `config` / `progressive_config` fields into the flat form (fields written on the flag itself win),
 * then runs the semantic checks. Any problem fails the whole document.
 */
export function readGenesisDocument(raw: unknown, origin = 'Genesis document'): GenesisOutcome<GenesisDocument> {
  const schemaProblems = checkGenesisSchema(raw);
  if (schemaProblems.length > 0) return genesisFailure(`Invalid ${origin}`, schemaProblems);
  const record = raw as Record<string, unknown>;
  const flags: Record<string, GenesisFlag> = {};
  for (const [key, flag] of Object.entries(record['flags'] as Record<string, Record<string, unknown>>)) {
    flags[key] = flattenFlag(flag);
  }
  const doc = { ...pick(record, DOCUMENT_FIELDS), flags } as GenesisDocument;
  const problems = checkGenesisDocument(doc);
  if (problems.length > 0) return genesisFailure(`Invalid ${origin}`, problems);
  return { ok: true, value: doc, warnings: [] };
}

/** The schema has checked every field's type, so the flattened record is a `GenesisFlag`. */
function flattenFlag(flag: Record<string, unknown>): GenesisFlag {
  const flat: Record<string, unknown> = {};
  for (const layer of [...FIELD_LAYERS].reverse()) {
    const fields = layer.at(-1) === 'progressive_config' ? PROGRESSIVE_FIELDS : FLAG_FIELDS;
    Object.assign(flat, pick(nested(flag, layer), fields));
  }
  if (typeof flat['requires'] === 'string') flat['requires'] = [flat['requires']];
  return flat as unknown as GenesisFlag;
}

function nested(record: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
  let node: unknown = record;
  for (const key of path)
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : {};
}

function pick(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    fields.filter((field) => Object.hasOwn(record, field)).map((field) => [field, record[field]]),
  );
}
