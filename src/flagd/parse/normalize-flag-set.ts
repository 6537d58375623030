import type { FlagEntry, NormalizedFlagSet } from '../model.js';
import { checkFlag, findDocumentViolations, type FlagCheck } from './find-document-violations.js';
import { isJsonObject, type JsonObjectLike } from '../../document/json-object.js';
import { flagSetMetadata } from './merge-metadata.js';
import { normalizeFlag, type FlagInputs, type FlagNormalization } from './normalize-flag.js';
import type { ParseOutcome } from '../../document/parse-outcome.js';
import { createRefResolver } from './resolve-evaluator-refs.js';
import { formatPath, formatViolation } from './schema-violation.js';

export interface NormalizeOptions {
  /** Names the document in every message, e.g. `config/flags.flagd.json`. */
  readonly origin: string;
  /**
   * Reject the document on any violation instead of warning.
   * @default false
   */
  readonly strict?: boolean;
}

/** The two steps every flag goes through; a reloading `FlagSetNormalizer` puts what it recorded in front of them. */
export interface FlagSteps {
  readonly check: FlagCheck;
  readonly normalize: (key: string, raw: unknown, inputs: FlagInputs) => FlagNormalization;
}

const DIRECT_STEPS: FlagSteps = { check: checkFlag, normalize: normalizeFlag };

/**
 * Turns a parsed flagd document into a normalised flag set. Like flagd, schema violations are
 * warnings (each naming the origin, flag and field); the document is rejected only when it has no
 * `flags` object (or list, as the flagd daemon also accepts) or a `defaultVariant` names no variant.
 * `strict` rejects on any warning. To normalise the versions of a reloaded document, keep one
 * `FlagSetNormalizer`, which does not redo unchanged flags.
 */
export function normalizeFlagSet(document: unknown, options: NormalizeOptions): ParseOutcome<NormalizedFlagSet> {
  return normalizeFlagSetWith(document, options, DIRECT_STEPS);
}

/** `normalizeFlagSet`, with each flag checked and normalised by `steps`. */
export function normalizeFlagSetWith(
  document: unknown,
  options: NormalizeOptions,
  steps: FlagSteps,
): ParseOutcome<NormalizedFlagSet> {
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
): ParseOutcome<Map<string, FlagEntry>> {
  const entries = new Map<string, FlagEntry>();
  const warnings: string[] = [];
  const rejections: string[] = [];
  for (const [key, raw] of flags) {
    const result = steps.normalize(key, raw, inputs);
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
    return {
      ok: false,
      error: `${origin}: flags: must be an object of flags, got ${flags === null ? 'null' : typeof flags}`,
    };
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
    if (seen.has(key))
      warnings.push(`${origin}: ${formatPath(['flags', key])}: listed more than once; the last one wins`);
    seen.add(key);
    value.push([key, flag]);
  });
  return { ok: true, value, warnings };
}

function evaluatorsOf(document: JsonObjectLike): ReadonlyMap<string, unknown> {
  const evaluators = document['$evaluators'];
  return new Map(isJsonObject(evaluators) ? Object.entries(evaluators) : []);
}
