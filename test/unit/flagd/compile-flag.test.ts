import { describe, expect, it } from 'vitest';
import { compileFlag, MAX_VARIANT_DEPTH } from '../../../src/flagd/compile-flag.js';
import { fingerprintFlag } from '../../../src/flagd/fingerprint-flag.js';
import type { FlagDefinition, FlagEntry } from '../../../src/flagd/model.js';

function entry(definition: Record<string, unknown>, loadError?: string): FlagEntry {
  const base = {
    key: 'flag',
    definition: {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'on',
      ...definition,
    } as FlagDefinition,
  };
  return loadError === undefined ? base : { ...base, loadError };
}

describe('compileFlag', () => {
  it.each([
    ['absent', undefined],
    ['null', null],
    ['{}', {}],
    ['[]', []],
    ['""', ''],
  ])('treats %s targeting as static', (_, targeting) => {
    const flag = compileFlag(entry({ targeting }));
    expect(flag.rule).toBeUndefined();
    expect(flag.parseError).toBeUndefined();
  });

  it('compiles targeting once', () => {
    const flag = compileFlag(entry({ targeting: { if: [{ var: 'beta' }, 'on', 'off'] } }));
    expect(flag.rule?.({ beta: true })).toBe('on');
  });

  it.each([
    ['a load error (a missing $ref)', entry({}, "Evaluator 'x' not found"), "Evaluator 'x' not found"],
    [
      'an invalid state',
      entry({ state: 'ON' as FlagDefinition['state'] }),
      `Flag 'flag' has state "ON"; expected "ENABLED" or "DISABLED"`,
    ],
    [
      'no variants',
      entry({ variants: undefined as unknown as FlagDefinition['variants'] }),
      "Flag 'flag' has no variants object",
    ],
    [
      'variants as a list',
      entry({ variants: [true] as unknown as FlagDefinition['variants'] }),
      "Flag 'flag' has no variants object",
    ],
    [
      'a default variant naming no variant',
      entry({ defaultVariant: 'maybe' }),
      "Default variant 'maybe' of flag 'flag' names no variant",
    ],
    [
      'a default variant that is not a string',
      entry({ defaultVariant: 1 as unknown as string }),
      "Flag 'flag' has a defaultVariant that is not a string",
    ],
    [
      'an unknown operator',
      entry({ targeting: { nope: [] } }),
      "Targeting of flag 'flag' uses unknown operator 'nope'",
    ],
  ])('keeps a parse error for %s', (_, input, parseError) => {
    const flag = compileFlag(input);
    expect(flag.parseError).toBe(parseError);
    expect(flag.rule).toBeUndefined();
  });

  it(`keeps a parse error for a variant nested deeper than ${MAX_VARIANT_DEPTH} levels, of any depth`, () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const deepEntry = entry({ variants: { on: deep as boolean }, defaultVariant: 'on' });
    expect(compileFlag(deepEntry).parseError).toBe(
      `Variant 'on' of flag 'flag' nests deeper than ${MAX_VARIANT_DEPTH} levels`,
    );
    expect(fingerprintFlag(deepEntry)).toMatch(/^[\w-]+$/);
  });

  it.each([null, ''])('treats a default variant of %j as none, as flagd does', (defaultVariant) => {
    expect(compileFlag(entry({ defaultVariant })).defaultVariant).toBeUndefined();
  });

  it('freezes variant values deeply, without freezing the input', () => {
    const value = { nested: { list: [1, 2] } };
    const flag = compileFlag(entry({ variants: { v: value }, defaultVariant: 'v' }));
    const stored = flag.variants.get('v') as { nested: { list: number[] } };
    expect(stored).toEqual(value);
    expect(Object.isFrozen(stored.nested.list)).toBe(true);
    expect(Object.isFrozen(value)).toBe(false);
  });

  it('keeps a "__proto__" variant as a variant, polluting nothing', () => {
    const variants = JSON.parse('{"__proto__": {"polluted": true}, "off": false}') as FlagDefinition['variants'];
    const flag = compileFlag(entry({ variants, defaultVariant: '__proto__' }));
    expect(flag.variants.get('__proto__')).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('fingerprintFlag', () => {
  it('gives definitions that differ only in key order the same fingerprint', () => {
    const a = fingerprintFlag({
      key: 'flag',
      definition: JSON.parse(
        '{"state":"ENABLED","variants":{"a":1,"b":{"x":1,"y":2}},"defaultVariant":"a"}',
      ) as FlagDefinition,
    });
    const b = fingerprintFlag({
      key: 'flag',
      definition: JSON.parse(
        '{"defaultVariant":"a","variants":{"b":{"y":2,"x":1},"a":1},"state":"ENABLED"}',
      ) as FlagDefinition,
    });
    expect(a).toBe(b);
  });

  it.each([
    ['a variant value', { variants: { on: 'yes', off: false } }],
    ['the state', { state: 'DISABLED' as const }],
    ['the default variant', { defaultVariant: 'off' }],
    ['the targeting', { targeting: { if: [true, 'off'] } }],
    ['the metadata', { metadata: { owner: 'team-b' } }],
  ])('changes the fingerprint when %s changes', (_, change) => {
    expect(fingerprintFlag(entry(change))).not.toBe(fingerprintFlag(entry({})));
  });
});
