import type { NormalizedFlagSet } from '../flagd/model.js';
import { mergeFlagSets } from '../flagd/parse/merge-flag-sets.js';
import { FlagDocumentLoader, type LoadOptions } from './flag-document-loader.js';
import { loadParsedDocument } from './load-flag-document.js';
import type { LoadOutcome } from './load-outcome.js';

/**
 * The flag sets of several origins (files, an inline document) stacked in a fixed order, later
 * origins winning per key. A failed load leaves that origin's last good set in place, so that one bad
 * file never takes flags away.
 */
export class FlagSetLayers {
  readonly #origins: readonly string[];
  readonly #options: LoadOptions;
  readonly #sets = new Map<string, NormalizedFlagSet>();
  /** One loader per origin whose text is loaded, so that a reload redoes only the flags that changed. */
  readonly #loaders = new Map<string, FlagDocumentLoader>();

  constructor(origins: readonly string[], options: LoadOptions) {
    this.#origins = origins;
    this.#options = options;
  }

  /** Loads an origin's new text; on success it replaces that origin's set. */
  loadText(origin: string, text: string): LoadOutcome<NormalizedFlagSet> {
    return this.#keep(origin, this.#loaderFor(origin).loadText(text));
  }

  /**
   * Loads an origin's already-parsed document; on success it replaces that origin's set. The document
   * is the caller's and may be changed in place later, so nothing of an earlier load is reused.
   */
  loadDocument(origin: string, document: unknown): LoadOutcome<NormalizedFlagSet> {
    return this.#keep(origin, loadParsedDocument(document, origin, this.#options));
  }

  /**
   * Every loaded origin merged in order. Its warnings are those of every layer plus one per key defined
   * by more than one origin.
   */
  merge(): NormalizedFlagSet {
    const layers = this.#origins.flatMap((origin) => {
      const set = this.#sets.get(origin);
      return set === undefined ? [] : [{ origin, set }];
    });
    return mergeFlagSets(layers);
  }

  #loaderFor(origin: string): FlagDocumentLoader {
    let loader = this.#loaders.get(origin);
    if (loader === undefined) {
      loader = new FlagDocumentLoader(origin, this.#options);
      this.#loaders.set(origin, loader);
    }
    return loader;
  }

  #keep(origin: string, outcome: LoadOutcome<NormalizedFlagSet>): LoadOutcome<NormalizedFlagSet> {
    if (outcome.ok) this.#sets.set(origin, outcome.value);
    return outcome;
  }
}
