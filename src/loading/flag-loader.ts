import type { NormalizedFlagSet } from '../flagd/model.js';
import { FlagSetNormalizer } from '../flagd/parse/flag-set-normalizer.js';
import { mergeFlagSets } from '../flagd/parse/merge-flag-sets.js';
import { parseDocumentText } from '../document/parse-document-text.js';
import { isSameJsonValue } from '../document/same-json-value.js';
import type { Result } from '../errors/result.js';
import type { GenesisFlags, RequiresScope } from '../genesis/check-requires.js';
import { translateToFlagd, type GenesisForm } from './document-format.js';
import type { EnvOverrideOptions } from './env-overrides.js';
import type { ResultWithWarnings } from '../errors/result.js';

export type { GenesisForm } from './document-format.js';

export interface LoadOptions {
  /** Reject on any schema violation instead of warning. */
  readonly strict: boolean;
  /** The environment and prefix overrides are read from; absent when overrides are off (the server's case). */
  readonly envOverrides?: EnvOverrideOptions;
}

/**
 * What an origin delivers: its text (JSON, or YAML by the origin's extension), or a document already
 * parsed. A document is the caller's and may be changed in place later, so nothing of an earlier load
 * is reused for it; text is parsed afresh, so its unchanged flags are.
 */
export type LoadInput = { readonly text: string } | { readonly document: unknown };

/** One origin as loaded: its normalised flagd set, and its Genesis form when it is a Genesis document. */
export interface LoadedLayer {
  readonly origin: string;
  readonly set: NormalizedFlagSet;
  readonly genesis: GenesisForm | undefined;
}

/** What one load changed: the origin given, and the other origins whose flags changed with it. */
export interface LoadedChange {
  readonly layer: LoadedLayer;
  /** Other origins re-translated because a parent of theirs (`requires`) is in this one, whose flags changed. */
  readonly others: readonly LoadedLayer[];
}

interface OriginState {
  /** Kept per origin, so that a reload checks and normalises only the flags that changed. */
  readonly normalizer: FlagSetNormalizer;
  layer: LoadedLayer | undefined;
  /** The last good Genesis document as parsed, to translate again when a parent in another origin changes. */
  genesisDocument: unknown;
}

/**
 * The one loading pipeline, for the provider, the server and the command line: origin + text or
 * document in, normalised flagd set (and its Genesis form) out. Each load parses, translates a Genesis
 * document to flagd, applies the environment overrides and normalises; warnings of every step are
 * kept, in that order, in the outcome and in the set.
 *
 * Origins (files, an inline document, a store key) are fixed and ordered, later ones winning per key
 * in `merge`. Unchanged flags are reused: each origin keeps a `FlagSetNormalizer`, which hands back the
 * very same `FlagEntry` for a flag written as before, so `FlagStore.replace` neither fingerprints nor
 * compiles it again. A failed load leaves that origin's last good layer in place.
 *
 * A Genesis flag's `requires` may name a flag of any Genesis origin (later ones winning per key).
 * Since a parent's rule is inlined into its children, a load that changes an origin's Genesis flags
 * translates the other Genesis origins again, and is refused as a whole when that leaves one of them
 * invalid (a parent removed that a child in another origin requires). While an origin has not loaded
 * yet, a parent may still be in it: its children are off until then.
 */
export class FlagLoader {
  readonly #origins: readonly string[];
  readonly #options: LoadOptions;
  readonly #states: ReadonlyMap<string, OriginState>;

  constructor(origins: readonly string[], options: LoadOptions) {
    this.#origins = [...origins];
    this.#options = options;
    this.#states = new Map(origins.map((origin) => [origin, this.#freshState(origin)]));
  }

  get origins(): readonly string[] {
    return this.#origins;
  }

  /** Loads an origin's new text or document; on success it replaces that origin's layer. */
  load(origin: string, input: LoadInput): ResultWithWarnings<LoadedChange> {
    const state = this.#stateOf(origin);
    const parsed =
      'text' in input ? parseDocumentText(input.text, origin) : { ok: true as const, value: input.document };
    if (!parsed.ok) return parsed;
    const normalizer = 'text' in input ? state.normalizer : this.#freshState(origin).normalizer;
    const loaded = this.#loadDocument(origin, parsed.value, normalizer);
    if (!loaded.ok) return loaded;
    const layer = withWarnings('warnings' in parsed ? parsed.warnings : [], loaded.value);
    const previous = { layer: state.layer, genesisDocument: state.genesisDocument };
    state.layer = layer;
    state.genesisDocument = layer.genesis === undefined ? undefined : parsed.value;
    const others = this.#parentsChanged(previous.layer, layer) ? this.#translateOthers(origin) : okNone;
    if (!others.ok) {
      state.layer = previous.layer;
      state.genesisDocument = previous.genesisDocument;
      return { ok: false, error: `Not loading ${origin}: ${others.error}` };
    }
    const changed = others.value.filter((other) => {
      const otherState = this.#stateOf(other.origin);
      const before = otherState.layer;
      otherState.layer = other;
      return before === undefined || !sameEntries(before.set, other.set);
    });
    return { ok: true, value: { layer, others: changed }, warnings: layer.set.warnings };
  }

  /** An origin's last good layer; undefined until it has loaded. */
  layer(origin: string): LoadedLayer | undefined {
    return this.#stateOf(origin).layer;
  }

  /** Every loaded layer, in the origins' order. */
  layers(): LoadedLayer[] {
    return this.#origins.flatMap((origin) => {
      const layer = this.#stateOf(origin).layer;
      return layer === undefined ? [] : [layer];
    });
  }

  /**
   * Every loaded origin merged in order. Its warnings are those of every layer plus one per key defined
   * by more than one origin.
   */
  merge(): NormalizedFlagSet {
    return mergeFlagSets(this.layers());
  }

  /**
   * Where an origin's `requires` look for parents: the other Genesis origins' flags, before and after
   * it. Undefined for a single origin, whose parents are all its own.
   */
  scopeOf(origin: string): RequiresScope | undefined {
    if (this.#origins.length < 2) return undefined;
    const index = this.#origins.indexOf(origin);
    const flagsOf = (origins: readonly string[]): GenesisFlags =>
      // fromEntries, not assignment: later origins win, and a flag named "__proto__" stays a flag.
      Object.fromEntries(origins.flatMap((other) => Object.entries(this.#genesisFlagsOf(other) ?? {})));
    return {
      before: flagsOf(this.#origins.slice(0, index)),
      after: flagsOf(this.#origins.slice(index + 1)),
      files: this.#origins.filter((other) => other === origin || this.#genesisFlagsOf(other) !== undefined),
      pending: this.#origins.some((other) => other !== origin && this.#stateOf(other).layer === undefined),
    };
  }

  /** Translate to flagd (with the other origins in scope), apply overrides, normalise. */
  #loadDocument(origin: string, document: unknown, normalizer: FlagSetNormalizer): ResultWithWarnings<LoadedLayer> {
    const translated = translateToFlagd(document, origin, this.#options.envOverrides, this.scopeOf(origin));
    if (!translated.ok) return translated;
    const normalized = normalizer.normalize(translated.value.document);
    if (!normalized.ok) return normalized;
    const layer = { origin, set: normalized.value, genesis: translated.value.genesis };
    return { ok: true, value: withWarnings(translated.warnings, layer), warnings: [] };
  }

  /**
   * The others see this origin's Genesis flags as parents, and while it had not loaded they waited for
   * it: they are translated again when it first loads or its Genesis flags change.
   */
  #parentsChanged(previous: LoadedLayer | undefined, next: LoadedLayer): boolean {
    if (this.#origins.length < 2) return false;
    if (previous === undefined) return true;
    return !isSameJsonValue(previous.genesis?.effective.flags, next.genesis?.effective.flags);
  }

  #translateOthers(origin: string): Result<LoadedLayer[]> {
    const layers: LoadedLayer[] = [];
    for (const other of this.#origins) {
      const state = this.#stateOf(other);
      if (other === origin || state.genesisDocument === undefined) continue;
      const again = this.#loadDocument(other, state.genesisDocument, state.normalizer);
      if (!again.ok) return again;
      layers.push(again.value);
    }
    return { ok: true, value: layers };
  }

  #genesisFlagsOf(origin: string): GenesisFlags | undefined {
    return this.#stateOf(origin).layer?.genesis?.effective.flags;
  }

  #stateOf(origin: string): OriginState {
    const state = this.#states.get(origin);
    // Origins are fixed when the loader is made: another is a programmer error.
    if (state === undefined) throw new Error(`Unknown flag origin: ${origin}`);
    return state;
  }

  #freshState(origin: string): OriginState {
    const normalizer = new FlagSetNormalizer({ origin, strict: this.#options.strict });
    return { normalizer, layer: undefined, genesisDocument: undefined };
  }
}

const okNone: Result<LoadedLayer[]> = { ok: true, value: [] };

/** The layer with earlier steps' warnings in front of its own. */
function withWarnings(earlier: readonly string[], layer: LoadedLayer): LoadedLayer {
  if (earlier.length === 0) return layer;
  const warnings = [...earlier, ...layer.set.warnings];
  return { ...layer, set: { ...layer.set, warnings } };
}

/** Whether two sets hold the very same entries (a reloading normaliser hands back an unchanged flag's entry). */
function sameEntries(a: NormalizedFlagSet, b: NormalizedFlagSet): boolean {
  if (a.flags.size !== b.flags.size) return false;
  for (const [key, entry] of a.flags) if (b.flags.get(key) !== entry) return false;
  return true;
}
