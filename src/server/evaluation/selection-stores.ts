import { FlagStore } from '../../flagd/flag-store.js';
import type { FlagEntry, NormalizedFlagSet } from '../../flagd/model.js';
import { selectorKey, type FlagSelector } from '../../flagd/sync/selector.js';
import type { SyncFlagState, WireFlag, WireFlags } from '../../flagd/sync/sync-flag-state.js';

/** How a flag changed, in flagd's configuration_change event words. */
export type FlagChangeType = 'write' | 'update' | 'delete';

/** The keys that changed in one update of a selection. */
export type FlagChanges = Readonly<Record<string, FlagChangeType>>;

interface Selection {
  readonly selector: FlagSelector;
  readonly store: FlagStore;
  loaded: boolean;
  readonly listeners: Set<(changes: FlagChanges) => void>;
}

/**
 * The flags each evaluation selector sees, compiled once per selection and kept current: after every
 * state update each selection in use is re-stored (unchanged flags keep their compiled form) and its
 * listeners hear which keys were written, updated or deleted. Selections are made on first use and
 * kept for the life of the server; there are as many as distinct selectors callers send.
 */
export class SelectionStores {
  readonly #state: SyncFlagState;
  readonly #selections = new Map<string, Selection>();
  /** One entry per wire flag: an unchanged flag's wire object comes back on every update, and so does its entry. */
  readonly #entries = new WeakMap<WireFlag, FlagEntry>();
  readonly #unsubscribe: () => void;

  constructor(state: SyncFlagState) {
    this.#state = state;
    this.#unsubscribe = state.subscribe(() => {
      for (const selection of this.#selections.values()) this.#refresh(selection);
    });
  }

  /** The compiled flags of a selection, or undefined while a source it draws from has not loaded. */
  store(selector: FlagSelector): FlagStore | undefined {
    const selection = this.#selection(selector);
    return selection.loaded ? selection.store : undefined;
  }

  /**
   * Calls `listener` with the changed keys when the selection first loads (even empty) and after every
   * update that changes it; returns the function that stops it.
   */
  onChange(selector: FlagSelector, listener: (changes: FlagChanges) => void): () => void {
    const { listeners } = this.#selection(selector);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  close(): void {
    this.#unsubscribe();
    this.#selections.clear();
  }

  #selection(selector: FlagSelector): Selection {
    const key = selectorKey(selector);
    let selection = this.#selections.get(key);
    if (selection === undefined) {
      selection = { selector, store: new FlagStore(), loaded: false, listeners: new Set() };
      this.#selections.set(key, selection);
      this.#refresh(selection);
    }
    return selection;
  }

  #refresh(selection: Selection): void {
    const flags = this.#state.flags(selection.selector);
    if (flags === undefined) return;
    const before = new Set(selection.store.keys());
    const changed = selection.store.replace(this.#toFlagSet(flags));
    const firstLoad = !selection.loaded;
    selection.loaded = true;
    if (changed.length === 0 && !firstLoad) return;
    const changes: Record<string, FlagChangeType> = Object.create(null) as Record<string, FlagChangeType>;
    for (const key of changed) {
      changes[key] = !before.has(key) ? 'write' : selection.store.get(key) === undefined ? 'delete' : 'update';
    }
    for (const listener of [...selection.listeners]) listener(changes);
  }

  /**
   * Wire flags already have `$ref`s resolved and set metadata merged in, so they become entries as they
   * are; the same wire object gives the same entry, which `FlagStore.replace` keeps without a fingerprint.
   */
  #toFlagSet(flags: WireFlags): NormalizedFlagSet {
    const entries = new Map<string, FlagEntry>();
    for (const [key, definition] of Object.entries(flags)) {
      let entry = this.#entries.get(definition);
      if (entry === undefined || entry.key !== key) {
        entry = { key, definition };
        this.#entries.set(definition, entry);
      }
      entries.set(key, entry);
    }
    return { flags: entries, metadata: {}, warnings: [] };
  }
}
