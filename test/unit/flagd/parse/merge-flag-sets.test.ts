import { describe, expect, it } from 'vitest';
import type { FlagEntry, NormalizedFlagSet } from '../../../../src/flagd/model.js';
import { mergeFlagSets } from '../../../../src/flagd/parse/merge-flag-sets.js';

function entry(key: string, variant: string): FlagEntry {
  return { key, definition: { state: 'ENABLED', variants: { [variant]: variant }, defaultVariant: variant } };
}

function set(
  entries: FlagEntry[],
  metadata: NormalizedFlagSet['metadata'] = {},
  warnings: string[] = [],
): NormalizedFlagSet {
  return { flags: new Map(entries.map((flag) => [flag.key, flag])), metadata, warnings };
}

describe('mergeFlagSets', () => {
  it('lets a later set win per key and keeps the rest', () => {
    const merged = mergeFlagSets([
      { origin: 'a.json', set: set([entry('shared', 'from-a'), entry('only-a', 'x')]) },
      { origin: 'b.json', set: set([entry('shared', 'from-b'), entry('only-b', 'y')]) },
    ]);
    expect(merged.flags.get('shared')?.definition.defaultVariant).toBe('from-b');
    expect([...merged.flags.keys()]).toEqual(['shared', 'only-a', 'only-b']);
  });

  it('warns about a key defined in two sets, naming both origins', () => {
    const merged = mergeFlagSets([
      { origin: 'config/a.json', set: set([entry('shared', 'a')]) },
      { origin: 'config/b.yaml', set: set([entry('shared', 'b')]) },
    ]);
    expect(merged.warnings).toEqual([
      'flag "shared" is defined in config/a.json and config/b.yaml; the one in config/b.yaml wins',
    ]);
  });

  it('names every origin of a key defined three times', () => {
    const merged = mergeFlagSets(['a', 'b', 'c'].map((origin) => ({ origin, set: set([entry('k', origin)]) })));
    expect(merged.warnings).toEqual(['flag "k" is defined in a, b and c; the one in c wins']);
  });

  it('keeps each set warnings and adds none for disjoint sets', () => {
    const merged = mergeFlagSets([
      { origin: 'a', set: set([entry('x', 'x')], {}, ['a: flags.x.state: must be ENABLED or DISABLED']) },
      { origin: 'b', set: set([entry('y', 'y')]) },
    ]);
    expect(merged.warnings).toEqual(['a: flags.x.state: must be ENABLED or DISABLED']);
  });

  it('merges flag-set metadata with later sets winning', () => {
    const merged = mergeFlagSets([
      { origin: 'a', set: set([], { team: 'a', tier: 1 }) },
      { origin: 'b', set: set([], { team: 'b' }) },
    ]);
    expect(merged.metadata).toEqual({ team: 'b', tier: 1 });
  });

  it('gives an empty set for no sets', () => {
    const merged = mergeFlagSets([]);
    expect({ flags: merged.flags.size, metadata: merged.metadata, warnings: merged.warnings }).toEqual({
      flags: 0,
      metadata: {},
      warnings: [],
    });
  });

  it('merges a flag keyed __proto__ like any other key', () => {
    const merged = mergeFlagSets([
      { origin: 'a', set: set([entry('__proto__', 'a')]) },
      { origin: 'b', set: set([entry('__proto__', 'b')]) },
    ]);
    expect(merged.flags.get('__proto__')?.definition.defaultVariant).toBe('b');
    expect(Object.getPrototypeOf(merged.metadata)).toBe(Object.prototype);
  });
});
