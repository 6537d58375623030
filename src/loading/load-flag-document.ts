import type { NormalizedFlagSet } from '../flagd/model.js';
import type { RequiresScope } from '../genesis/check-requires.js';
import { normalizeFlagSet } from '../flagd/parse/normalize-flag-set.js';
import { loadDocumentWith, loadTextWith, type LoadOptions, type NormalizeDocument } from './flag-document-loader.js';
import type { LoadOutcome } from './load-outcome.js';

export type { LoadOptions } from './flag-document-loader.js';

/**
 * Loads one document's text: parse (JSON, or YAML by the origin's extension), translate its format to
 * flagd, apply environment overrides, normalise. Warnings from every step are kept, in that order, both
 * in the outcome and in the set (so that merging sets carries them all). For a document that is
 * reloaded, keep a `FlagDocumentLoader`, which does not redo unchanged flags.
 */
export function loadFlagDocument(text: string, origin: string, options: LoadOptions): LoadOutcome<NormalizedFlagSet> {
  return loadTextWith(text, origin, options, normalizeAlone(origin, options));
}

/**
 * Loads a document that is already parsed, such as the provider's inline `flags` option. With a
 * scope, a Genesis document's parents may be in the other files it names.
 */
export function loadParsedDocument(
  document: unknown,
  origin: string,
  options: LoadOptions,
  scope?: RequiresScope,
): LoadOutcome<NormalizedFlagSet> {
  return loadDocumentWith(document, origin, options, normalizeAlone(origin, options), scope);
}

function normalizeAlone(origin: string, options: LoadOptions): NormalizeDocument {
  return (document) => normalizeFlagSet(document, { origin, strict: options.strict });
}
