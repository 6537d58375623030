import type { RequiresScope } from './check-requires.js';
import { findGenesisProblems } from './find-genesis-problems.js';
import type { ResultWithWarnings } from '../errors/result.js';
import type { GenesisDocument, GenesisFlag } from './genesis-document.js';
import { genesisFailure } from './genesis-failure.js';
import { flattenGenesisFlag, pickFields } from './flatten-genesis-flag.js';

const DOCUMENT_FIELDS = ['$schema', 'format', 'version', 'metadata'] as const;

/**
 * Reads a parsed Genesis file: checks it against the schema and the rules a schema cannot state (all
 * problems at once, each located, from `findGenesisProblems`), then lifts the old Python system's nested `config` /
 * `progressive_config` fields into the flat form. Any problem fails the whole document. With a scope,
 * parents may be in the other files it names.
 */
export function readGenesisDocument(
  raw: unknown,
  origin = 'Genesis document',
  scope?: RequiresScope,
): ResultWithWarnings<GenesisDocument> {
  const problems = findGenesisProblems(raw, scope);
  if (problems.length > 0) return genesisFailure(`Invalid ${origin}`, problems);
  const record = raw as Record<string, unknown>;
  // fromEntries defines every key as data: a flag named "__proto__" is a flag like any other (as in flagd),
  // where assigning it would set the object's prototype and drop the flag.
  const flags: Record<string, GenesisFlag> = Object.fromEntries(
    Object.entries(record['flags'] as Record<string, Record<string, unknown>>).map(([key, flag]) => [
      key,
      flattenGenesisFlag(flag),
    ]),
  );
  const doc = { ...pickFields(record, DOCUMENT_FIELDS), flags } as GenesisDocument;
  return { ok: true, value: doc, warnings: [] };
}
