import type { NormalizedFlagSet } from '../flagd/model.js';
import { FlagLoader, type LoadOptions } from './flag-loader.js';
import type { ResultWithWarnings } from '../errors/result.js';

/**
 * Loads one document's text once, through a `FlagLoader` of its own: parse (JSON, or YAML by the
 * origin's extension), translate its format to flagd, apply environment overrides, normalise. For a
 * document that is reloaded, or several documents together, keep a `FlagLoader`.
 */
export function loadFlagDocument(
  text: string,
  origin: string,
  options: LoadOptions,
): ResultWithWarnings<NormalizedFlagSet> {
  const loaded = new FlagLoader([origin], options).load(origin, { text });
  return loaded.ok ? { ok: true, value: loaded.value.layer.set, warnings: loaded.warnings } : loaded;
}
