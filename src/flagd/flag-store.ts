import { compileFlag } from './compile-flag.js';
import { evaluateFlag } from './evaluate-flag.js';
import { flagNotFound } from './error-resolution.js';
import { fingerprintFlag } from './fingerprint-flag.js';
import type { CompiledFlag, EvaluationContext, EvaluationEnv, FlagMetadata, FlagType, FlagValue, NormalizedFlagSet, Resolution } from './model.js';

/**
 * The flags being served: compiled once, swapped as a whole on `replace`, which re-compiles
 * only the flags whose definition changed.
 */
export class FlagStore {
  #flags: ReadonlyMap<string, CompiledFlag> = new Map();
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
   */
  replace(set: NormalizedFlagSet): string[] {
    const next = new Map<string, CompiledFlag>();
    const changed: string[] = [];
    for (const [key, entry] of set.flags) {
      const current = this.#flags.get(key);
      const fingerprint = fingerprintFlag(entry);
      if (current !== undefined && current.fingerprint === fingerprint) {
        next.set(key, current);
      } else {
        next.set(key, compileFlag(entry, fingerprint));
        changed.push(key);
      }
    }
    for (const key of this.#flags.keys()) {
      if (!next.has(key)) changed.push(key);
    }
    this.#flags = next;
    this.#metadata = Object.freeze({ ...set.metadata });
    return changed;
  }

  /** `evaluateFlag` on the stored flag; a missing flag's FLAG_NOT_FOUND carries the set's metadata. */
  evaluate<T extends FlagValue>(flagKey: string, type: FlagType, defaultValue: T, context: EvaluationContext, env: EvaluationEnv): Resolution<T> {
    const flag = this.#flags.get(flagKey);
    if (flag === undefined) return flagNotFound(flagKey, defaultValue, this.#metadata);
    return evaluateFlag(flag, flagKey, type, defaultValue, context, env);
  }
}
