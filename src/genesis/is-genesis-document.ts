import { isJsonObject } from '../document/json-object.js';

/** A `$schema` whose last path segment is this names the Genesis format. */
export const GENESIS_SCHEMA_FILE = 'genesis-flags.schema.json';

/**
 * Tells a Genesis document from a flagd one. A declaration decides first: `"format": "genesis"` (any
 * other `format` means not Genesis) or a `$schema` ending in `genesis-flags.schema.json`. Otherwise
 * (flagd's own `$schema` included) by shape: Genesis flags have `enabled` (or the old Python `config` record) and no flag has flagd's
 * `variants` or `state`.
 */
export function isGenesisDocument(doc: unknown): boolean {
  if (!isJsonObject(doc)) return false;
  if (doc['format'] !== undefined) return doc['format'] === 'genesis';
  const schema = doc['$schema'];
  if (typeof schema === 'string' && schema.split(/[/:#?]/).includes(GENESIS_SCHEMA_FILE)) return true;
  const flags = doc['flags'];
  if (!isJsonObject(flags)) return false;
  const entries = Object.values(flags).filter(isJsonObject);
  const flagdShaped = entries.some((flag) => 'variants' in flag || 'state' in flag);
  const genesisShaped = entries.some((flag) => typeof flag['enabled'] === 'boolean' || isJsonObject(flag['config']));
  return genesisShaped && !flagdShaped;
}
