import type { NormalizedFlagSet } from '../flagd/model.js';
import { mergeFlagSets } from '../flagd/parse/merge-flag-sets.js';
import { parseDocumentText } from '../document/parse-document-text.js';
import type { Result } from '../errors/result.js';
import type { GenesisFlags, RequiresScope } from '../genesis/check-requires.js';
import { isGenesisDocument } from '../genesis/is-genesis-document.js';
import { FlagDocumentLoader, type LoadOptions } from './flag-document-loader.js';
import { genesisFlagsOf } from './genesis-flags-of.js';
import { loadParsedDocument } from './load-flag-document.js';
import type { LoadOutcome } from './load-outcome.js';

/** A Genesis origin's last loaded document, and its flags as its children in other origins see them. */
interface GenesisLayer {
  readonly document: unknown;
  readonly flags: GenesisFlags;
}

/**
 * The flag sets of several origins (files, an inline document) stacked in a fixed order, later
 * origins winning per key. A failed load leaves that origin's last good set in place, so that one bad
 * file never takes flags away. A Genesis flag's `requires` may name a flag of any Genesis origin (later
 * origins winning per key): since a parent's rule is inlined into its children, a load re-translates
 * the other Genesis origins too, and is refused as a whole when it leaves one of them invalid (a
 * parent removed that a child in another file requires).
 */
export class FlagSetLayers {
  readonly #origins: readonly string[];
  readonly #options: LoadOptions;
  readonly #sets = new Map<string, NormalizedFlagSet>();
  /** One loader per origin whose text is loaded, so that a reload redoes only the flags that changed. */
  readonly #loaders = new Map<string, FlagDocumentLoader>();
  readonly #genesis = new Map<string, GenesisLayer>();

  constructor(origins: readonly string[], options: LoadOptions) {
    this.#origins = origins;
    this.#options = options;
  }

  /** Loads an origin's new text; on success it replaces that origin's set. */
  loadText(origin: string, text: string): LoadOutcome<NormalizedFlagSet> {
    if (this.#origins.length < 2) return this.#keep(origin, this.#loaderFor(origin).loadText(text));
    const parsed = parseDocumentText(text, origin);
    if (!parsed.ok) return parsed;
    return this.#loadAmong(origin, parsed.value, (scope) => this.#loaderFor(origin).loadText(text, scope));
  }

  /**
   * Loads an origin's already-parsed document; on success it replaces that origin's set. The document
   * is the caller's and may be changed in place later, so nothing of an earlier load is reused.
   */
  loadDocument(origin: string, document: unknown): LoadOutcome<NormalizedFlagSet> {
    if (this.#origins.length < 2) return this.#keep(origin, loadParsedDocument(document, origin, this.#options));
    return this.#loadAmong(origin, document, (scope) => loadParsedDocument(document, origin, this.#options, scope));
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

  /** Loads one origin among the others, then re-translates the other Genesis origins against it. */
  #loadAmong(
    origin: string,
    document: unknown,
    load: (scope: RequiresScope) => LoadOutcome<NormalizedFlagSet>,
  ): LoadOutcome<NormalizedFlagSet> {
    const outcome = load(this.#scopeOf(origin));
    if (!outcome.ok) return outcome;
    const previous = { layer: this.#genesis.get(origin), set: this.#sets.get(origin) };
    const layer = isGenesisDocument(document)
      ? { document, flags: genesisFlagsOf(document, this.#options) }
      : undefined;
    this.#setGenesis(origin, layer);
    this.#sets.set(origin, outcome.value);
    const others = this.#retranslateOthers(origin);
    if (!others.ok) {
      this.#setGenesis(origin, previous.layer);
      if (previous.set === undefined) this.#sets.delete(origin);
      else this.#sets.set(origin, previous.set);
      return { ok: false, error: `Not loading ${origin}: ${others.error}` };
    }
    for (const [other, set] of others.value) this.#sets.set(other, set);
    return outcome;
  }

  #retranslateOthers(origin: string): Result<[string, NormalizedFlagSet][]> {
    const sets: [string, NormalizedFlagSet][] = [];
    for (const other of this.#origins) {
      const layer = this.#genesis.get(other);
      if (other === origin || layer === undefined) continue;
      const scope = this.#scopeOf(other);
      const loader = this.#loaders.get(other);
      const again =
        loader === undefined
          ? loadParsedDocument(layer.document, other, this.#options, scope)
          : loader.loadDocument(layer.document, scope);
      if (!again.ok) return again;
      sets.push([other, again.value]);
    }
    return { ok: true, value: sets };
  }

  #setGenesis(origin: string, layer: GenesisLayer | undefined): void {
    if (layer === undefined) this.#genesis.delete(origin);
    else this.#genesis.set(origin, layer);
  }

  /** The other Genesis origins' flags, before and after this one, for its `requires`. */
  #scopeOf(origin: string): RequiresScope {
    const index = this.#origins.indexOf(origin);
    const flagsOf = (origins: readonly string[]): GenesisFlags =>
      // fromEntries, not assignment: later origins win, and a flag named "__proto__" stays a flag.
      Object.fromEntries(origins.flatMap((other) => Object.entries(this.#genesis.get(other)?.flags ?? {})));
    return {
      before: flagsOf(this.#origins.slice(0, index)),
      after: flagsOf(this.#origins.slice(index + 1)),
      files: this.#origins.filter((other) => other === origin || this.#genesis.has(other)),
      pending: this.#origins.some((other) => other !== origin && !this.#sets.has(other)),
    };
  }
}
