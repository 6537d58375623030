import type { FlagEntry, NormalizedFlagSet } from '../model.js';
import { checkFlag, findDocumentViolations, type FlagCheck, type FlagPart } from './find-document-violations.js';
import { isJsonObject, type JsonObjectLike } from './json-object.js';
import { flagSetMetadata } from './merge-metadata.js';
import { normalizeFlag, type FlagInputs, type FlagNormalization } from './normalize-flag.js';
import type { ParseOutcome } from './parse-outcome.js';
import { createRefResolver } from './resolve-evaluator-refs.js';
import { isSameJsonValue } from './same-json-value.js';
import { formatPath, formatViolation, type SchemaViolation } from './schema-violation.js';

export interface NormalizeOptions {
  /** Names the document in every message, e.g. `config/flags.flagd.json`. */
  readonly origin: string;
  /**
   * Reject the document on any violation instead of warning.
   * @default false
   */
  readonly strict?: boolean;
}

/** What one flag's definition gave, kept so that the same definition in the next version is not done again. */
interface FlagRecord {
  readonly part: FlagPart;
  /** The definition as written in the version being normalised. */
  readonly raw: unknown;
  readonly violations: readonly SchemaViolation[];
  /** Filled once normalised; carried over only while the parts every flag reads (`SharedParts`) are unchanged. */
  normalization: FlagNormalization | undefined;
}

/** The parts of a document that every flag's normalisation reads besides the flag itself. */
interface SharedParts {
  readonly metadata: unknown;
  readonly evaluators: unknown;
}

/**
 * Normalises successive versions of one document (a file as it is reloaded). Like flagd, schema
 * violations are warnings (each naming the origin, flag and field); a version is rejected only when it
 * has no `flags` object (or list, as the flagd daemon also accepts) or a `defaultVariant` names no
 * variant. `strict` rejects on any warning.
 *
 * A reload usually changes one flag of many, yet checking every flag against the schema and normalising
 * it cost most of a reload. So each flag's findings and normalised entry are kept, and a flag written
 * exactly as in the previous version (`isSameJsonValue`) gets them back instead of being done again: the
 * same warnings and the very same `FlagEntry` object, which also lets `FlagStore.replace` skip it. The
 * normalised entry is reused only while the set's metadata and `$evaluators`, which every flag reads, are
 * unchanged too. The versions must be fresh values (as parsed from text), never one object mutated.
 */
export class FlagSetNormalizer {
  readonly #options: NormalizeOptions;
  #records: ReadonlyMap<string, FlagRecord> = new Map();
  #shared: SharedParts | undefined;

  constructor(options: NormalizeOptions) {
    this.#options = options;
  }

  normalize(document: unknown): ParseOutcome<NormalizedFlagSet> {
    const { origin } = this.#options;
    if (!isJsonObject(document)) return { ok: false, error: `${origin}: not a flagd document: expected an object with a "flags" object` };
    const listed = listFlags(document['flags'], origin);
    if (!listed.ok) return listed;
    const shared: SharedParts = { metadata: document['metadata'], evaluators: document['$evaluators'] };
    const records = new Map<string, FlagRecord>();
    const check = this.#recordingCheck(records, this.#sharedUnchanged(shared));
    const warnings = findDocumentViolations(document, 'flagd', check).map((violation) => `${origin}: ${formatViolation(violation)}`);
    warnings.push(...listed.warnings);
    const metadata = flagSetMetadata(shared.metadata);
    const inputs = { origin, setMetadata: metadata, resolveRefs: createRefResolver(evaluatorsOf(document)) };
    const normalized = normalizeFlags(listed.value, inputs, records);
    this.#records = records;
    this.#shared = shared;
    if (!normalized.ok) return normalized;
    warnings.push(...normalized.warnings);
    if (this.#options.strict === true && warnings.length > 0) {
      return { ok: false, error: [`${origin}: rejected in strict mode, ${warnings.length} violation(s):`, ...warnings].join('\n') };
    }
    const set: NormalizedFlagSet = { flags: normalized.value, metadata, warnings };
    return { ok: true, value: set, warnings };
  }

  #sharedUnchanged(shared: SharedParts): boolean {
    const previous = this.#shared;
    return previous !== undefined && isSameJsonValue(previous.metadata, shared.metadata) && isSameJsonValue(previous.evaluators, shared.evaluators);
  }

  /** Checks each flag, or takes the previous version's findings for a flag written the same; records both. */
  #recordingCheck(records: Map<string, FlagRecord>, sharedUnchanged: boolean): FlagCheck {
    return (part, name, raw) => {
      // A listed flag without a key is named by its index, which says nothing about which flag it was.
      if (typeof name !== 'string') return checkFlag(part, name, raw);
      const previous = this.#records.get(name);
      const record: FlagRecord =
        previous !== undefined && previous.part === part && isSameJsonValue(previous.raw, raw)
          ? { part, raw, violations: previous.violations, normalization: sharedUnchanged ? previous.normalization : undefined }
          : { part, raw, violations: checkFlag(part, name, raw), normalization: undefined };
      records.set(name, record);
      return record.violations;
    };
  }
}

/** Normalises every flag, taking a recorded normalisation where this very definition has one, and recording new ones. */
function normalizeFlags(
  flags: ReadonlyArray<readonly [string, unknown]>,
  inputs: FlagInputs,
  records: ReadonlyMap<string, FlagRecord>,
): ParseOutcome<Map<string, FlagEntry>> {
  const entries = new Map<string, FlagEntry>();
  const warnings: string[] = [];
  const rejections: string[] = [];
  for (const [key, raw] of flags) {
    const record = records.get(key);
    // A key listed twice has one record, for the definition listed last.
    const own = record !== undefined && record.raw === raw ? record : undefined;
    const result = own?.normalization ?? normalizeFlag(key, raw, inputs);
    if (own !== undefined) own.normalization = result;
    if (!result.ok) rejections.push(result.error);
    else {
      entries.set(key, result.entry);
      warnings.push(...result.warnings);
    }
  }
  if (rejections.length > 0) return { ok: false, error: rejections.join('\n') };
  return { ok: true, value: entries, warnings };
}

/** The document's flags as [key, definition] pairs, from the map form or the flagd daemon's list form. */
function listFlags(flags: unknown, origin: string): ParseOutcome<Array<readonly [string, unknown]>> {
  if (isJsonObject(flags)) return { ok: true, value: Object.entries(flags), warnings: [] };
  if (flags === undefined) return { ok: false, error: `${origin}: not a flagd document: it has no "flags" object` };
  if (!Array.isArray(flags)) {
    return { ok: false, error: `${origin}: flags: must be an object of flags, got ${flags === null ? 'null' : typeof flags}` };
  }
  const value: Array<readonly [string, unknown]> = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  flags.forEach((flag: unknown, index) => {
    const key = isJsonObject(flag) ? flag['key'] : undefined;
    if (typeof key !== 'string' || key === '') {
      warnings.push(`${origin}: ${formatPath(['flags', index])}: a listed flag needs a non-empty "key"; skipped`);
      return;
    }
    if (seen.has(key)) warnings.push(`${origin}: ${formatPath(['flags', key])}: listed more than once; the last one wins`);
    seen.add(key);
    value.push([key, flag]);
  });
  return { ok: true, value, warnings };
}

function evaluatorsOf(document: JsonObjectLike): ReadonlyMap<string, unknown> {
  const evaluators = document['$evaluators'];
  return new Map(isJsonObject(evaluators) ? Object.entries(evaluators) : []);
}
