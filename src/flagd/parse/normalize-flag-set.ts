import type { NormalizedFlagSet } from '../model.js';
import { FlagSetNormalizer, type NormalizeOptions } from './flag-set-normalizer.js';
import type { ParseOutcome } from './parse-outcome.js';

export type { NormalizeOptions } from './flag-set-normalizer.js';

/**
 * Turns a parsed flagd document into a normalised flag set. Like flagd, schema violations are
 * warnings (each naming the origin, flag and field); the document is rejected only when it has no
 * `flags` object (or list, as the flagd daemon also accepts) or a `defaultVariant` names no variant.
 * `strict` rejects on any warning. To normalise the versions of a reloaded document, keep one
 * `FlagSetNormalizer`, which reuses the work for unchanged flags.
 */
export function normalizeFlagSet(document: unknown, options: NormalizeOptions): ParseOutcome<NormalizedFlagSet> {
  return new FlagSetNormalizer(options).normalize(document);
}
