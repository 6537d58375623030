import type { FlagMetadata } from '../model.js';
import { isJsonObject } from '../../document/json-object.js';

type MetadataValue = FlagMetadata[string];

/**
 * The flag-set metadata a flag inherits: its string, number and boolean values. Anything else is a
 * schema violation (already warned about) and cannot travel as OpenFeature flag metadata.
 */
export function flagSetMetadata(raw: unknown): FlagMetadata {
  return merged(new Map(), raw);
}

/**
 * A flag's metadata over the set's, the flag's keys winning, as flagd's store patches them. As in
 * flagd, a flag's `null` (or any value metadata cannot carry) hides the inherited value instead of
 * letting it show through.
 */
export function mergeMetadata(setMetadata: FlagMetadata, flagMetadata: unknown): FlagMetadata {
  return merged(new Map(Object.entries(setMetadata)), flagMetadata);
}

function merged(base: Map<string, MetadataValue>, overrides: unknown): FlagMetadata {
  if (isJsonObject(overrides)) {
    for (const [key, value] of Object.entries(overrides)) {
      if (isMetadataValue(value)) base.set(key, value);
      else base.delete(key);
    }
  }
  // Object.fromEntries defines properties, so a `__proto__` key stays a plain key.
  return Object.fromEntries(base);
}

function isMetadataValue(value: unknown): value is MetadataValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
