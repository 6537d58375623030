import type { FlagEntry, NormalizedFlagSet } from '../model.js';
import { checkFlag, findDocumentViolations, type FlagCheck, type FlagPart } from './find-document-violations.js';
import { isJsonObject, type JsonObjectLike } from '../../document/json-object.js';
import { flagSetMetadata } from './merge-metadata.js';
import { normalizeFlag, type FlagInputs } from './normalize-flag.js';
import type { ResultWithWarnings } from '../../errors/result.js';
import { createRefResolver } from './resolve-evaluator-refs.js';
import { listDocumentFlags } from './list-document-flags.js';
import { isSameJsonValue } from '../../document/same-json-value.js';
import { formatPath, formatViolation, type PathSegment, type SchemaViolation } from './schema-violation.js';

/** What one flag's definition gave, kept so that the same definition in the next version is not done again. */
interface FlagRecord {
  readonly part: FlagPart;
  /** The definition as written in the version being normalised. */
  readonly raw: unknown;
  readonly violations: readonly SchemaViolation[];
  /** Filled once normalised; carried over only while the parts every flag reads (`SharedParts`) are unchanged. */
  normalization: ResultWithWarnings<FlagEntry> | undefined;
}

/** The parts of a document that every flag's normalisation reads besides the flag itself. */
interface SharedParts {
  readonly metadata: unknown;
  readonly evaluators: unknown;
}

/**
 * Turns parsed flagd documents into normalised flag sets: the successive versions of one document (a
 * file as it is reloaded). Like flagd, schema violations are warnings (each naming the origin, flag and
 * field); a document is rejected only when it has no `flags` object (or list, as the flagd daemon also
 * accepts) or a `defaultVariant` names no variant. `strict` rejects on any warning.
 *
 * A reload usually changes one flag of many, yet checking every flag against the schema and normalising
 * it was most of a reload's cost. So each flag's findings and normalised entry are kept, and a flag
 * written exactly as in the previous version (`isSameJsonValue`) gets them back instead of being done
 * again: the same warnings and the very same `FlagEntry` object, which also lets `FlagStore.replace`
 * skip it. The entry is reused only while the set's metadata and `$evaluators`, which every flag reads,
 * are unchanged too. Each version must be a fresh value (as parsed from text), never an earlier one
 * changed in place.
 */
export class FlagSetNormalizer {
  readonly #options: NormalizeOptions;
  #records: ReadonlyMap<string, FlagRecord> = new Map();
  #shared: SharedParts | undefined;

  constructor(options: NormalizeOptions) {
    this.#options = options;
  }

  normalize(document: unknown): ResultWithWarnings<NormalizedFlagSet> {
    const shared: SharedParts = isJsonObject(document)
      ? { metadata: document['metadata'], evaluators: document['$evaluators'] }
      : { metadata: undefined, evaluators: undefined };
    const records = new Map<string, FlagRecord>();
    const outcome = normalizeDocument(
      document,
      this.#options,
      this.#recordingSteps(records, this.#sharedUnchanged(shared)),
    );
    this.#records = records;
    this.#shared = shared;
    return outcome;
  }

  #sharedUnchanged(shared: SharedParts): boolean {
    const previous = this.#shared;
    return (
      previous !== undefined &&
      isSameJsonValue(previous.metadata, shared.metadata) &&
      isSameJsonValue(previous.evaluators, shared.evaluators)
    );
  }

  /** Each flag is checked, or given the previous version's findings when written the same; both are recorded. */
  #recordingSteps(records: Map<string, FlagRecord>, sharedUnchanged: boolean): FlagSteps {
    const check = (part: FlagPart, name: PathSegment, raw: unknown): readonly SchemaViolation[] => {
      // A listed flag without a key is named by its index, which says nothing about which flag it was.
      if (typeof name !== 'string') return checkFlag(part, name, raw);
      const previous = this.#records.get(name);
      const record: FlagRecord =
        previous !== undefined && previous.part === part && isSameJsonValue(previous.raw, raw)
          ? {
              part,
              raw,
              violations: previous.violations,
              normalization: sharedUnchanged ? previous.normalization : undefined,
            }
          : { part, raw, violations: checkFlag(part, name, raw), normalization: undefined };
      records.set(name, record);
      return record.violations;
    };
    return { check, normalize: (key, raw, inputs) => recordedNormalization(records.get(key), key, raw, inputs) };
  }
}

/** The recorded normalisation of this very definition, or a new one, recorded. */
function recordedNormalization(
  record: FlagRecord | undefined,
  key: string,
  raw: unknown,
  inputs: FlagInputs,
): ResultWithWarnings<FlagEntry> {
  // A key listed twice has one record, for the definition listed last.
  if (record === undefined || record.raw !== raw) return normalizeFlag(key, raw, inputs);
  record.normalization ??= normalizeFlag(key, raw, inputs);
  return record.normalization;
}

export interface NormalizeOptions {
  /** Names the document in every message, e.g. `config/flags.flagd.json`. */
  readonly origin: string;
  /**
   * Reject the document on any violation instead of warning.
   * @default false
   */
  readonly strict?: boolean;
}

/** The two steps every flag goes through, each answering from what was recorded when it can. */
interface FlagSteps {
  readonly check: FlagCheck;
  readonly normalize: (key: string, raw: unknown, inputs: FlagInputs) => ResultWithWarnings<FlagEntry>;
}

/**
 * Turns a parsed flagd document into a normalised flag set, once (see `FlagSetNormalizer`, which the
 * loading pipeline keeps per origin so that reloads redo only the flags that changed).
 */
export function normalizeFlagSet(document: unknown, options: NormalizeOptions): ResultWithWarnings<NormalizedFlagSet> {
  return new FlagSetNormalizer(options).normalize(document);
}

/** The whole document, with each flag checked and normalised by `steps`. */
function normalizeDocument(
  document: unknown,
  options: NormalizeOptions,
  steps: FlagSteps,
): ResultWithWarnings<NormalizedFlagSet> {
  const { origin } = options;
  if (!isJsonObject(document))
    return { ok: false, error: `${origin}: not a flagd document: expected an object with a "flags" object` };
  const listed = listFlags(document['flags'], origin);
  if (!listed.ok) return listed;
  const warnings = findDocumentViolations(document, 'flagd', steps.check).map(
    (violation) => `${origin}: ${formatViolation(violation)}`,
  );
  warnings.push(...listed.warnings);
  const metadata = flagSetMetadata(document['metadata']);
  const inputs = { origin, setMetadata: metadata, resolveRefs: createRefResolver(evaluatorsOf(document)) };
  const normalized = normalizeFlags(listed.value, inputs, steps);
  if (!normalized.ok) return normalized;
  warnings.push(...normalized.warnings);
  if (options.strict === true && warnings.length > 0) {
    return {
      ok: false,
      error: [`${origin}: rejected in strict mode, ${warnings.length} violation(s):`, ...warnings].join('\n'),
    };
  }
  const set: NormalizedFlagSet = { flags: normalized.value, metadata, warnings };
  return { ok: true, value: set, warnings };
}

function normalizeFlags(
  flags: ReadonlyArray<readonly [string, unknown]>,
  inputs: FlagInputs,
  steps: FlagSteps,
): ResultWithWarnings<Map<string, FlagEntry>> {
  const entries = new Map<string, FlagEntry>();
  const warnings: string[] = [];
  const rejections: string[] = [];
  for (const [key, raw] of flags) {
    const result = steps.normalize(key, raw, inputs);
    if (!result.ok) rejections.push(result.error);
    else {
      entries.set(key, result.value);
      warnings.push(...result.warnings);
    }
  }
  if (rejections.length > 0) return { ok: false, error: rejections.join('\n') };
  return { ok: true, value: entries, warnings };
}

/** The document's flags as [key, definition] pairs, from the map form or the flagd daemon's list form. */
function listFlags(flags: unknown, origin: string): ResultWithWarnings<Array<readonly [string, unknown]>> {
  if (isJsonObject(flags)) return { ok: true, value: Object.entries(flags), warnings: [] };
  if (flags === undefined) return { ok: false, error: `${origin}: not a flagd document: it has no "flags" object` };
  if (!Array.isArray(flags)) {
    return {
      ok: false,
      error: `${origin}: flags: must be an object of flags, got ${flags === null ? 'null' : typeof flags}`,
    };
  }
  const value: Array<readonly [string, unknown]> = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const { key, path, definition } of listDocumentFlags(flags)) {
    if (key === undefined || key === '') {
      warnings.push(`${origin}: ${formatPath(path)}: a listed flag needs a non-empty "key"; skipped`);
      continue;
    }
    if (seen.has(key))
      warnings.push(`${origin}: ${formatPath(['flags', key])}: listed more than once; the last one wins`);
    seen.add(key);
    value.push([key, definition]);
  }
  return { ok: true, value, warnings };
}

function evaluatorsOf(document: JsonObjectLike): ReadonlyMap<string, unknown> {
  const evaluators = document['$evaluators'];
  return new Map(isJsonObject(evaluators) ? Object.entries(evaluators) : []);
}
