import type { NormalizedFlagSet } from '../flagd/model.js';
import { FlagSetNormalizer } from '../flagd/parse/flag-set-normalizer.js';
import { parseDocumentText } from '../flagd/parse/parse-document-text.js';
import { translateToFlagd } from './document-format.js';
import type { EnvOverrideOptions } from './env-overrides.js';
import type { LoadOutcome } from './load-outcome.js';

export interface LoadOptions {
  /** Reject on any schema violation instead of warning. */
  readonly strict: boolean;
  /** The environment and prefix overrides are read from; absent when overrides are off. */
  readonly envOverrides?: EnvOverrideOptions;
}

/**
 * Loads the successive versions of one origin's document: parse (JSON, or YAML by the origin's
 * extension), translate its format to flagd, apply environment overrides, normalise. Warnings from
 * every step are kept, in that order, both in the outcome and in the set (so that merging sets carries
 * them all). Flags unchanged since the previous version are not checked or normalised again (see
 * `FlagSetNormalizer`).
 */
export class FlagDocumentLoader {
  readonly #origin: string;
  readonly #options: LoadOptions;
  readonly #normalizer: FlagSetNormalizer;

  constructor(origin: string, options: LoadOptions) {
    this.#origin = origin;
    this.#options = options;
    this.#normalizer = new FlagSetNormalizer({ origin, strict: options.strict });
  }

  loadText(text: string): LoadOutcome<NormalizedFlagSet> {
    const parsed = parseDocumentText(text, this.#origin);
    if (!parsed.ok) return parsed;
    return withWarnings(parsed.warnings, this.loadDocument(parsed.value));
  }

  /** Loads a parsed version; each version must be a fresh value, not an earlier one mutated. */
  loadDocument(document: unknown): LoadOutcome<NormalizedFlagSet> {
    const translated = translateToFlagd(document, this.#origin, this.#options.envOverrides);
    if (!translated.ok) return translated;
    return withWarnings(translated.warnings, this.#normalizer.normalize(translated.value));
  }
}

function withWarnings(earlier: readonly string[], outcome: LoadOutcome<NormalizedFlagSet>): LoadOutcome<NormalizedFlagSet> {
  if (!outcome.ok || earlier.length === 0) return outcome;
  const warnings = [...earlier, ...outcome.value.warnings];
  return { ok: true, value: { ...outcome.value, warnings }, warnings };
}
