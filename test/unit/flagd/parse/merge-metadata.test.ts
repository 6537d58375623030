import { describe, expect, it } from 'vitest';
import type { NormalizedFlagSet } from '../../../../src/flagd/model.js';
import { normalizeFlagSet } from '../../../../src/flagd/parse/flag-set-normalizer.js';

const ORIGIN = 'config/meta.json';
const flag = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' };

function load(document: unknown): NormalizedFlagSet {
  const outcome = normalizeFlagSet(document, { origin: ORIGIN });
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
}

describe('flag-set metadata merged under flag metadata', () => {
  // The values of flagd-testbed's selector-flag-combined-metadata.json and the expectations of its metadata.feature.
  const document = {
    flags: {
      'combined-metadata-flag': { ...flag, metadata: { string: 'a', integer: 1, float: 1.2, boolean: true } },
      'only-set-metadata-flag': flag,
    },
    metadata: { string: 'b', integer: 2, float: 2.2, boolean: false, 'flag-set-string': 'c', 'flag-set-integer': 3 },
  };

  it('gives a flag without metadata the flag-set metadata', () => {
    expect(load(document).flags.get('only-set-metadata-flag')?.definition.metadata).toEqual({
      string: 'b',
      integer: 2,
      float: 2.2,
      boolean: false,
      'flag-set-string': 'c',
      'flag-set-integer': 3,
    });
  });

  it("lets the flag's own keys win over the flag set's", () => {
    expect(load(document).flags.get('combined-metadata-flag')?.definition.metadata).toEqual({
      string: 'a',
      integer: 1,
      float: 1.2,
      boolean: true,
      'flag-set-string': 'c',
      'flag-set-integer': 3,
    });
  });

  it('keeps the flag-set metadata on the set itself', () => {
    expect(load(document).metadata).toEqual(document.metadata);
  });

  it('keeps flagSetId and version as ordinary keys that flags inherit and may override', () => {
    const set = load({
      flags: { a: flag, b: { ...flag, metadata: { flagSetId: 'other' } } },
      metadata: { flagSetId: 'main', version: '7' },
    });
    expect(set.flags.get('a')?.definition.metadata).toEqual({ flagSetId: 'main', version: '7' });
    expect(set.flags.get('b')?.definition.metadata).toEqual({ flagSetId: 'other', version: '7' });
  });

  it('warns when flagSetId or version is not a string, and still carries the value', () => {
    const set = load({ flags: { a: flag }, metadata: { flagSetId: 12, version: 3 } });
    expect(set.warnings).toEqual([
      `${ORIGIN}: metadata.flagSetId: must be string`,
      `${ORIGIN}: metadata.version: must be string`,
    ]);
    expect(set.flags.get('a')?.definition.metadata).toEqual({ flagSetId: 12, version: 3 });
  });

  it('lets a flag hide an inherited key with null, as flagd drops null values after patching', () => {
    const set = load({ flags: { a: { ...flag, metadata: { team: null } } }, metadata: { team: 'payments', tier: 1 } });
    expect(set.flags.get('a')?.definition.metadata).toEqual({ tier: 1 });
  });

  it('drops values metadata cannot carry (objects, arrays) with a warning', () => {
    const set = load({
      flags: { a: { ...flag, metadata: { nested: { key: 'value' }, list: [1], kept: 'yes' } } },
      metadata: { deep: { x: 1 } },
    });
    expect(set.flags.get('a')?.definition.metadata).toEqual({ kept: 'yes' });
    expect(set.metadata).toEqual({});
    expect(set.warnings).toEqual([
      `${ORIGIN}: flags.a.metadata.nested: must be one of: string, number, boolean`,
      `${ORIGIN}: flags.a.metadata.list: must be one of: string, number, boolean`,
      `${ORIGIN}: metadata.deep: must be one of: string, number, boolean`,
    ]);
  });

  it('ignores metadata that is not an object, with a warning', () => {
    const set = load({ flags: { a: { ...flag, metadata: 'team-a' } }, metadata: ['x'] });
    expect(set.flags.get('a')?.definition.metadata).toBeUndefined();
    expect(set.metadata).toEqual({});
    expect(set.warnings).toEqual([
      `${ORIGIN}: flags.a.metadata: must be object`,
      `${ORIGIN}: metadata: must be object`,
    ]);
  });

  it('leaves metadata out of a flag when neither the flag nor the set has any', () => {
    expect('metadata' in (load({ flags: { a: flag } }).flags.get('a')?.definition ?? {})).toBe(false);
  });

  it('keeps a __proto__ metadata key as plain data', () => {
    const metadata = JSON.parse('{"__proto__": "owner", "team": "a"}') as unknown;
    const merged = load({ flags: { a: flag }, metadata }).flags.get('a')?.definition.metadata ?? {};
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(merged['team']).toBe('a');
  });
});
