import { visit } from 'jsonc-parser';

/** A key written twice in one JSON object: the offsets of its first and its second occurrence. */
export interface DuplicateKey {
  readonly key: string;
  readonly firstOffset: number;
  readonly offset: number;
}

/**
 * The first key that appears twice in one object of a JSON text, compared as parsed (`"a"` and
 * `"\u0061"` are the same key). `JSON.parse` keeps the last silently. Callers bound the nesting
 * first (jsonc-parser recurses once per level).
 */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const objects: Map<string, number>[] = [];
  let found: DuplicateKey | undefined;
  visit(text, {
    onObjectBegin: () => {
      objects.push(new Map());
    },
    onObjectEnd: () => {
      objects.pop();
    },
    onObjectProperty: (key, offset) => {
      const seen = objects.at(-1);
      const firstOffset = seen?.get(key);
      if (firstOffset !== undefined) found ??= { key, firstOffset, offset };
      else seen?.set(key, offset);
    },
  });
  return found;
}
