import type { FlagDefinition } from '../model.js';
import { SelectionPayloads } from './selection-payloads.js';
import { selectorKey, type FlagSelector } from './selector.js';

/** One flag as it goes on the wire: a flagd flag definition with set metadata already merged in. */
export type WireFlag = FlagDefinition;

/** The flags of one source, keyed by flag key, in flagd document form. */
export type WireFlags = Readonly<Record<string, WireFlag>>;

/** Bytes of payloads kept for the selections in use (see `SelectionPayloads`). */
export const SELECTION_PAYLOAD_BYTES = 16 * 1024 * 1024;

const EMPTY_PAYLOAD = '{"flags":{}}';

/**
 * The flags the sync server serves, per source, and the payload each selection gets.
 *
 * Sources are ordered: when two sources define the same key, the later one wins (flagd's merge order
 * for `--uri` arguments, and the provider's order for `path` lists). A selection is served once every
 * source it can draw from has loaded, or once `allowPartial()` says to stop waiting (flagd stops
 * waiting after 5 s), so a broken file cannot starve subscribers of the others. Payloads are computed
 * once per selection and change, within a bounded cache.
 */
export class SyncFlagState {
  readonly #sources: readonly string[];
  readonly #flags = new Map<string, WireFlags>();
  readonly #payloads = new SelectionPayloads(SELECTION_PAYLOAD_BYTES);
  readonly #listeners = new Set<() => void>();
  #partialAllowed = false;
  #generation = 0;

  constructor(sources: readonly string[]) {
    this.#sources = [...sources];
  }

  get sources(): readonly string[] {
    return this.#sources;
  }

  /**
   * Grows by one with every update: a subscriber sent the payload of generation N (or found it had
   * it already) has every source's flags as they were at N.
   */
  get generation(): number {
    return this.#generation;
  }

  /** Whether every source has loaded at least once. */
  get complete(): boolean {
    return this.#sources.every((source) => this.#flags.has(source));
  }

  /** Serves selections even though some of their sources have not loaded; those count as empty. */
  allowPartial(): void {
    if (this.#partialAllowed) return;
    this.#partialAllowed = true;
    this.#changed();
  }

  /** Replaces one source's flags and tells every subscriber; an unknown source is a programmer error. */
  update(source: string, flags: WireFlags): void {
    this.updateAll(new Map([[source, flags]]));
  }

  /**
   * Replaces several sources' flags at once (a parent's file and its children's) and tells every
   * subscriber once, so that no payload has one without the other.
   */
  updateAll(updates: ReadonlyMap<string, WireFlags>): void {
    const unknown = [...updates.keys()].find((source) => !this.#sources.includes(source));
    if (unknown !== undefined) throw new Error(`Unknown sync source: ${unknown}`);
    for (const [source, flags] of updates) this.#flags.set(source, flags);
    this.#changed();
  }

  /** Calls `listener` after every update; returns the function that stops it. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Bytes held by the payload cache now. */
  get cachedPayloadBytes(): number {
    return this.#payloads.bytes;
  }

  /** The flag_configuration JSON for a selection, or undefined while a source it needs has not loaded. */
  payload(selector: FlagSelector): string | undefined {
    const key = selectorKey(selector);
    const cached = this.#payloads.get(key);
    if (cached !== undefined) return cached;
    const flags = this.#select(selector);
    // Selections a client can invent without end select nothing, or nothing yet: those are not kept.
    if (flags === undefined) return undefined;
    if (Object.keys(flags).length === 0) return EMPTY_PAYLOAD;
    const payload = JSON.stringify({ flags });
    this.#payloads.set(key, payload);
    return payload;
  }

  /** The flags of a selection (later sources winning per key), or undefined while a source it needs has not loaded. */
  flags(selector: FlagSelector): Readonly<Record<string, WireFlag>> | undefined {
    return this.#select(selector);
  }

  #select(selector: FlagSelector): Record<string, WireFlag> | undefined {
    if (selector.kind === 'source') return this.#selectSource(selector.source);
    if (!this.complete && !this.#partialAllowed) return undefined;
    // A null prototype keeps a flag named `__proto__` an ordinary key.
    const selected = Object.create(null) as Record<string, WireFlag>;
    for (const source of this.#sources) {
      for (const [key, flag] of Object.entries(this.#flags.get(source) ?? {})) {
        if (selector.kind === 'all' || flagSetIdOf(flag) === selector.flagSetId) selected[key] = flag;
      }
    }
    return selected;
  }

  #selectSource(source: string): Record<string, WireFlag> | undefined {
    if (!this.#sources.includes(source)) return {};
    const flags = this.#flags.get(source);
    if (flags === undefined) return this.#partialAllowed ? {} : undefined;
    return { ...flags };
  }

  #changed(): void {
    this.#generation += 1;
    this.#payloads.clear();
    for (const listener of [...this.#listeners]) listener();
  }
}

/** A flag's set id as flagd reads it: `metadata.flagSetId` when it is a string (flag keys win over the set's). */
function flagSetIdOf(flag: WireFlag): string | undefined {
  const id = flag.metadata?.['flagSetId'];
  return typeof id === 'string' ? id : undefined;
}
