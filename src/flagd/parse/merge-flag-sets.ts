import type { FlagEntry, FlagMetadata, NormalizedFlagSet } from '../model.js';

/** A normalised flag set and the document it came from. */
export interface OriginFlagSet {
  readonly origin: string;
  readonly set: NormalizedFlagSet;
}

/**
 * Stacks flag sets in order: a later set's flag replaces an earlier one with the same key, and the
 * flag-set metadata merges the same way. Each key defined more than once gets a warning naming every
 * origin that defines it. Flags keep the metadata they were normalised with, so a flag still carries
 * its own document's flag-set metadata.
 */
export function mergeFlagSets(sets: ReadonlyArray<OriginFlagSet>): NormalizedFlagSet {
  const flags = new Map<string, FlagEntry>();
  const origins = new Map<string, string[]>();
  const metadata = new Map<string, FlagMetadata[string]>();
  const warnings: string[] = [];
  for (const { origin, set } of sets) {
    warnings.push(...set.warnings);
    for (const [key, value] of Object.entries(set.metadata)) metadata.set(key, value);
    for (const [key, entry] of set.flags) {
      flags.set(key, entry);
      origins.set(key, [...(origins.get(key) ?? []), origin]);
    }
  }
  for (const [key, definedIn] of origins) {
    if (definedIn.length > 1) warnings.push(duplicateWarning(key, definedIn));
  }
  return { flags, metadata: Object.fromEntries(metadata), warnings };
}

function duplicateWarning(key: string, definedIn: readonly string[]): string {
  const winner = definedIn.at(-1) ?? '';
  const listed =
    definedIn.length === 2 ? definedIn.join(' and ') : `${definedIn.slice(0, -1).join(', ')} and ${winner}`;
  return `flag ${JSON.stringify(key)} is defined in ${listed}; the one in ${winner} wins`;
}
