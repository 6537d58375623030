import type { GenesisFlag } from './genesis-document.js';
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

/**
 * Lifts the old Python system's nested `config` / `progressive_config` fields into the flat form
 * (fields written on the flag itself win). The caller has checked the fields' types against the schema.
 */
export function flattenGenesisFlag(flag: Record<string, unknown>): GenesisFlag {
  const flat: Record<string, unknown> = {};
  for (const layer of [...FIELD_LAYERS].reverse()) {
    const fields = layer.at(-1) === 'progressive_config' ? PROGRESSIVE_FIELDS : FLAG_FIELDS;
    Object.assign(flat, pickFields(nested(flag, layer), fields));
  }
  if (typeof flat['requires'] === 'string') flat['requires'] = [flat['requires']];
  return flat as unknown as GenesisFlag;
}

/** The fields of `record` named in `fields`, own properties only. */
export function pickFields(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(
    fields.filter((field) => Object.hasOwn(record, field)).map((field) => [field, record[field]]),
  );
}

function nested(record: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
  let node: unknown = record;
  for (const key of path)
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : {};
}
