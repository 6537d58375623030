import { compileFlag } from './compile-flag.js';
import { evaluateFlag } from './evaluate-flag.js';
import { flagNotFound } from './error-resolution.js';
import { fingerprintFlag } from './fingerprint-flag.js';
import type {
  CompiledFlag,
  EvaluationContext,
  EvaluationEnv,
  FlagEntry,
  FlagMetadata,
  FlagValue,
  NormalizedFlagSet,
  RequestedType,
  Resolution,
} from './model.js';

/**
 * Fingerprints by entry, computed when first needed: entries are values, and a first load, which
 * compares nothing, fingerprints nothing (on 10,000 flags that was a fifth of the load).
 */
const fingerprints = new WeakMap<FlagEntry, string>();

function fingerprintOf(entry: FlagEntry): string {
  let fingerprint = fingerprints.get(entry);
  if (fingerprint === undefined) {
    fingerprint = fingerprintFlag(entry);
    fingerprints.set(entry, fingerprint);
  }
  return fingerprint;
}

/**
 * The flags being served: compiled once, swapped as a whole on `replace`, which re-compiles
 * only the flags whose definition changed.
 */
export class FlagStore {
  #flags: ReadonlyMap<string, CompiledFlag> = new Map();
  /** The entry each stored flag was compiled from. */
  #entries: ReadonlyMap<string, FlagEntry> = new Map();
  #metadata: FlagMetadata = Object.freeze({});

  get(key: string): CompiledFlag | undefined {
    return this.#flags.get(key);
  }

  keys(): string[] {
    return [...this.#flags.keys()];
  }

  get size(): number {
    return this.#flags.size;
  }

  /** The flag set's own metadata (each flag's metadata already has it merged in). */
  get metadata(): FlagMetadata {
    return this.#metadata;
  }

  /**
   * Serves `set` from now on and returns exactly the keys added, removed or modified (by
   * definition fingerprint): added and modified in the set's order, then removed. Unchanged
   * flags keep their compiled object.
   *
   * Entries are values: the very entry object a flag was compiled from, given again under the
   * same key, is taken as unchanged without being fingerprinted (a reloading `FlagSetNormalizer`
   * hands back the same object for a flag written the same). To change a flag, pass a new entry.
   */
  replace(set: NormalizedFlagSet): string[] {
    const next = new Map<string, CompiledFlag>();
    const changed: string[] = [];
    for (const [key, entry] of set.flags) {
      const compiled = this.#compiledFor(key, entry);
      next.set(key, compiled);
      if (compiled !== this.#flags.get(key)) changed.push(key);
    }
    for (const key of this.#flags.keys()) {
      if (!next.has(key)) changed.push(key);
    }
    this.#flags = next;
    this.#entries = new Map(set.flags);
    this.#metadata = Object.freeze({ ...set.metadata });
    return changed;
  }

  /** The digest of a stored flag's definition (`fingerprintFlag`), which OFREP's ETags are made of. */
  fingerprint(key: string): string | undefined {
    const entry = this.#entries.get(key);
    return entry === undefined ? undefined : fingerprintOf(entry);
  }

  /** `evaluateFlag` on the stored flag; a missing flag's FLAG_NOT_FOUND carries the set's metadata and a close key. */
  evaluate<T extends FlagValue>(
    flagKey: string,
    type: RequestedType,
    defaultValue: T,
    context: EvaluationContext,
    env: EvaluationEnv,
  ): Resolution<T> {
    const flag = this.#flags.get(flagKey);
    if (flag === undefined) return flagNotFound(flagKey, defaultValue, this.#metadata, this.#flags.keys());
    return evaluateFlag(flag, flagKey, type, defaultValue, context, env);
  }

  /** The stored compiled flag when `entry` is the one it came from or has the same fingerprint; else `entry` compiled. */
  #compiledFor(key: string, entry: FlagEntry): CompiledFlag {
    const current = this.#flags.get(key);
    const previous = this.#entries.get(key);
    if (current === undefined || previous === undefined) return compileFlag(entry);
    if (previous === entry || fingerprintOf(previous) === fingerprintOf(entry)) return current;
    return compileFlag(entry);
  }
}
