import type { FlagDefinition, FlagSetDocument, NormalizedFlagSet } from '../model.js';

/**
 * The flag set as flagd JSON, the way a flagd sync server sends it: `$ref`s already resolved (so no
 * `$evaluators`), each flag carrying the flag-set metadata merged under its own, and the flag-set
 * `metadata` kept at the top. A flag whose `$ref` could not be resolved keeps its unresolved targeting,
 * so that a flagd client reading the payload fails that flag (PARSE_ERROR) as we do.
 */
export function toFlagdDocument(set: NormalizedFlagSet): FlagSetDocument {
  // Object.fromEntries defines properties, so a `__proto__` flag key stays a plain key.
  const flags = Object.fromEntries([...set.flags].map(([key, entry]) => [key, flagdDefinitionOf(entry.definition)]));
  return Object.keys(set.metadata).length === 0 ? { flags } : { flags, metadata: set.metadata };
}

/** One flag as flagd JSON: fields in the order people write them; absent optional fields stay absent. */
export function flagdDefinitionOf(definition: FlagDefinition): FlagDefinition {
  return {
    state: definition.state,
    variants: definition.variants,
    ...(definition.defaultVariant === undefined ? {} : { defaultVariant: definition.defaultVariant }),
    ...(definition.targeting === undefined ? {} : { targeting: definition.targeting }),
    ...(definition.metadata === undefined ? {} : { metadata: definition.metadata }),
  };
}
