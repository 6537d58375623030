import type { NormalizedFlagSet } from '../flagd/model.js';
import { normalizeFlagSet } from '../flagd/parse/normalize-flag-set.js';
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
 * Loads one document's text: parse (JSON, or YAML by the origin's extension), translate its format to
 * flagd, apply environment overrides, normalise. Warnings from every step are kept, in that order, both
 * in the outcome and in the set (so that merging sets carries them all).
 */
export function loadFlagDocument(text: string, origin: string, options: LoadOptions): LoadOutcome<NormalizedFlagSet> {
  const parsed = parseDocumentText(text, origin);
  if (!parsed.ok) return parsed;
  return withWarnings(parsed.warnings, loadParsedDocument(parsed.value, origin, options));
}

/** Loads a document that is already parsed, such as the provider's inline `flags` option. */
export function loadParsedDocument(document: unknown, origin: string, options: LoadOptions): LoadOutcome<NormalizedFlagSet> {
  const translated = translateToFlagd(document, origin, options.envOverrides);
  if (!translated.ok) return translated;
  const normalized = normalizeFlagSet(translated.value, { origin, strict: options.strict });
  return withWarnings(translated.warnings, normalized);
}

function withWarnings(earlier: readonly string[], outcome: LoadOutcome<NormalizedFlagSet>): LoadOutcome<NormalizedFlagSet> {
  if (!outcome.ok || earlier.length === 0) return outcome;
  const warnings = [...earlier, ...outcome.value.warnings];
  return { ok: true, value: { ...outcome.value, warnings }, warnings };
}
