import type { NormalizedFlagSet } from '../flagd/model.js';
import { FlagSetNormalizer } from '../flagd/parse/flag-set-normalizer.js';
import { parseDocumentText } from '../document/parse-document-text.js';
import type { RequiresScope } from '../genesis/check-requires.js';
import { translateToFlagd } from './document-format.js';
import type { EnvOverrideOptions } from './env-overrides.js';
import type { LoadOutcome } from './load-outcome.js';

export interface LoadOptions {
  /** Reject on any schema violation instead of warning. */
  readonly strict: boolean;
  /** The environment and prefix overrides are read from; absent when overrides are off. */
  readonly envOverrides?: EnvOverrideOptions;
}

/** The last step of loading: a flagd document to a normalised set. */
export type NormalizeDocument = (document: unknown) => LoadOutcome<NormalizedFlagSet>;

/**
 * Loads the successive versions of one origin's document, as `loadFlagDocument` loads each alone, but
 * without checking and normalising again the flags unchanged since the previous version (see
 * `FlagSetNormalizer`).
 */
export class FlagDocumentLoader {
  readonly #origin: string;
  readonly #options: LoadOptions;
  readonly #normalize: NormalizeDocument;

  constructor(origin: string, options: LoadOptions) {
    this.#origin = origin;
    this.#options = options;
    const normalizer = new FlagSetNormalizer({ origin, strict: options.strict });
    this.#normalize = (document) => normalizer.normalize(document);
  }

  /** With a scope, a Genesis document's parents may be in the other files it names. */
  loadText(text: string, scope?: RequiresScope): LoadOutcome<NormalizedFlagSet> {
    return loadTextWith(text, this.#origin, this.#options, this.#normalize, scope);
  }

  /** `loadText` from the parsed document on; the document is only read. */
  loadDocument(document: unknown, scope?: RequiresScope): LoadOutcome<NormalizedFlagSet> {
    return loadDocumentWith(document, this.#origin, this.#options, this.#normalize, scope);
  }
}

/**
 * Parse (JSON, or YAML by the origin's extension), translate the format to flagd, apply environment
 * overrides, normalise. Warnings from every step are kept, in that order, both in the outcome and in
 * the set (so that merging sets carries them all).
 */
export function loadTextWith(
  text: string,
  origin: string,
  options: LoadOptions,
  normalize: NormalizeDocument,
  scope?: RequiresScope,
): LoadOutcome<NormalizedFlagSet> {
  const parsed = parseDocumentText(text, origin);
  if (!parsed.ok) return parsed;
  return withWarnings(parsed.warnings, loadDocumentWith(parsed.value, origin, options, normalize, scope));
}

/** `loadTextWith` from the parsed document on. */
export function loadDocumentWith(
  document: unknown,
  origin: string,
  options: LoadOptions,
  normalize: NormalizeDocument,
  scope?: RequiresScope,
): LoadOutcome<NormalizedFlagSet> {
  const translated = translateToFlagd(document, origin, options.envOverrides, scope);
  if (!translated.ok) return translated;
  return withWarnings(translated.warnings, normalize(translated.value));
}

function withWarnings(
  earlier: readonly string[],
  outcome: LoadOutcome<NormalizedFlagSet>,
): LoadOutcome<NormalizedFlagSet> {
  if (!outcome.ok || earlier.length === 0) return outcome;
  const warnings = [...earlier, ...outcome.value.warnings];
  return { ok: true, value: { ...outcome.value, warnings }, warnings };
}
