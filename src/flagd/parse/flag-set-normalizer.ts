import type { NormalizedFlagSet } from '../model.js';
import { checkFlag, type FlagPart } from './find-document-violations.js';
import { isJsonObject } from '../../document/json-object.js';
import { normalizeFlag, type FlagInputs, type FlagNormalization } from './normalize-flag.js';
import { normalizeFlagSetWith, type FlagSteps, type NormalizeOptions } from './normalize-flag-set.js';
import type { ParseOutcome } from '../../document/parse-outcome.js';
import { isSameJsonValue } from '../../document/same-json-value.js';
import type { PathSegment, SchemaViolation } from './schema-violation.js';

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
 * Normalises successive versions of one document (a file as it is reloaded), as `normalizeFlagSet`
 * does each alone.
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

  normalize(document: unknown): ParseOutcome<NormalizedFlagSet> {
    const shared: SharedParts = isJsonObject(document)
      ? { metadata: document['metadata'], evaluators: document['$evaluators'] }
      : { metadata: undefined, evaluators: undefined };
    const records = new Map<string, FlagRecord>();
    const outcome = normalizeFlagSetWith(
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
): FlagNormalization {
  // A key listed twice has one record, for the definition listed last.
  if (record === undefined || record.raw !== raw) return normalizeFlag(key, raw, inputs);
  record.normalization ??= normalizeFlag(key, raw, inputs);
  return record.normalization;
}
