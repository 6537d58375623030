import { describe, expect, it } from 'vitest';
import type { FlagEntry, NormalizedFlagSet } from '../../../../src/flagd/model.js';
import { normalizeFlagSet } from '../../../../src/flagd/parse/flag-set-normalizer.js';

const ORIGIN = 'config/x.json';

function accepted(document: unknown, strict = false): NormalizedFlagSet {
  const outcome = normalizeFlagSet(document, { origin: ORIGIN, strict });
  if (!outcome.ok) throw new Error(`expected acceptance, got: ${outcome.error}`);
  return outcome.value;
}

function rejection(document: unknown, strict = false): string {
  const outcome = normalizeFlagSet(document, { origin: ORIGIN, strict });
  if (outcome.ok) throw new Error('expected the document to be rejected');
  return outcome.error;
}

function entry(set: NormalizedFlagSet, key: string): FlagEntry {
  const found = set.flags.get(key);
  if (found === undefined) throw new Error(`no flag ${key}`);
  return found;
}

const boolFlag = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' };

describe('normalizeFlagSet: what rejects a document', () => {
  it.each([
    ['an array', [], `${ORIGIN}: not a flagd document: expected an object with a "flags" object`],
    ['null', null, `${ORIGIN}: not a flagd document: expected an object with a "flags" object`],
    ['a document without flags', { metadata: {} }, `${ORIGIN}: not a flagd document: it has no "flags" object`],
    ['flags given as a string', { flags: 'none' }, `${ORIGIN}: flags: must be an object of flags, got string`],
    ['flags given as null', { flags: null }, `${ORIGIN}: flags: must be an object of flags, got null`],
  ])('rejects %s', (_, document, error) => {
    expect(rejection(document)).toBe(error);
  });

  it('rejects a defaultVariant that names no variant, naming flag and variants', () => {
    const document = {
      flags: { 'my-flag': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'maybe' } },
    };
    expect(rejection(document)).toBe(
      `${ORIGIN}: flags.my-flag.defaultVariant: "maybe" names no variant (variants: "on", "off")`,
    );
  });

  it('rejects a defaultVariant when the flag has no variants at all', () => {
    const document = { flags: { 'my-flag': { state: 'ENABLED', defaultVariant: 'on' } } };
    expect(rejection(document)).toBe(`${ORIGIN}: flags.my-flag.defaultVariant: "on" names no variant (variants: none)`);
  });

  it('rejects a defaultVariant that is not a string', () => {
    const document = { flags: { 'my-flag': { state: 'ENABLED', variants: { on: true }, defaultVariant: 5 } } };
    expect(rejection(document)).toBe(`${ORIGIN}: flags.my-flag.defaultVariant: must name a variant or be null, got 5`);
  });

  it.each(['toString', '__proto__', 'hasOwnProperty'])('does not accept the inherited name %s as a variant', (name) => {
    const document = { flags: { f: { state: 'ENABLED', variants: { on: true }, defaultVariant: name } } };
    expect(rejection(document)).toContain(`flags.f.defaultVariant: "${name}" names no variant`);
  });

  it('lists every flag whose defaultVariant names no variant', () => {
    const document = { flags: { a: { ...boolFlag, defaultVariant: 'x' }, b: { ...boolFlag, defaultVariant: 'y' } } };
    expect(rejection(document).split('\n')).toEqual([
      `${ORIGIN}: flags.a.defaultVariant: "x" names no variant (variants: "on", "off")`,
      `${ORIGIN}: flags.b.defaultVariant: "y" names no variant (variants: "on", "off")`,
    ]);
  });
});

describe('normalizeFlagSet: schema violations are warnings', () => {
  it('loads a flag with a wrong state and warns, naming origin, flag and field', () => {
    const set = accepted({ flags: { 'my-flag': { ...boolFlag, state: 'WILL-FAIL' } } });
    expect(set.warnings).toEqual([`${ORIGIN}: flags.my-flag.state: must be ENABLED or DISABLED`]);
  });

  it('evaluates any state but exactly DISABLED as enabled, as flagd does', () => {
    const set = accepted({ flags: { a: { ...boolFlag, state: 'disabled' }, b: { ...boolFlag, state: 'DISABLED' } } });
    expect(entry(set, 'a').definition.state).toBe('ENABLED');
    expect(entry(set, 'b').definition.state).toBe('DISABLED');
  });

  it('warns once per broken field of a flag', () => {
    const set = accepted({ flags: { f: { state: 'ON', variants: { a: true, b: 'yes' }, targeting: { nope: [] } } } });
    expect(set.warnings).toEqual([
      `${ORIGIN}: flags.f.variants: must all be booleans, all numbers, all strings or all objects`,
      `${ORIGIN}: flags.f.state: must be ENABLED or DISABLED`,
      `${ORIGIN}: flags.f.targeting: unknown operator "nope"`,
    ]);
  });

  it('rejects on any violation in strict mode, listing the violations', () => {
    const document = { flags: { 'my-flag': { ...boolFlag, state: 'WILL-FAIL' } } };
    expect(rejection(document, true)).toBe(
      [
        `${ORIGIN}: rejected in strict mode, 1 violation(s):`,
        `${ORIGIN}: flags.my-flag.state: must be ENABLED or DISABLED`,
      ].join('\n'),
    );
  });

  it('accepts a valid document in strict mode', () => {
    expect(accepted({ flags: { f: boolFlag } }, true).warnings).toEqual([]);
  });

  it('gives a flag that is not an object a load error and keeps the others', () => {
    const set = accepted({ flags: { broken: 'yes', fine: boolFlag } });
    expect(entry(set, 'broken').loadError).toBe(`${ORIGIN}: flags.broken: must be an object`);
    expect(entry(set, 'fine').loadError).toBeUndefined();
    expect(set.warnings).toContain(`${ORIGIN}: flags.broken: must be an object`);
  });

  it('gives a flag with non-object variants a load error', () => {
    const set = accepted({ flags: { f: { state: 'ENABLED', variants: ['on', 'off'] } } });
    expect(entry(set, 'f').loadError).toBe(`${ORIGIN}: flags.f.variants: must be an object of variant values`);
  });

  it('reads an empty or null defaultVariant as none, as flagd does', () => {
    const set = accepted({
      flags: { a: { ...boolFlag, defaultVariant: '' }, b: { ...boolFlag, defaultVariant: null } },
    });
    expect(entry(set, 'a').definition.defaultVariant).toBeNull();
    expect(entry(set, 'b').definition.defaultVariant).toBeNull();
  });

  it('leaves defaultVariant out when the document leaves it out', () => {
    const { defaultVariant: _, ...withoutDefault } = boolFlag;
    const set = accepted({ flags: { f: withoutDefault } });
    expect('defaultVariant' in entry(set, 'f').definition).toBe(false);
  });
});

describe('normalizeFlagSet: the flagd daemon list form', () => {
  it('accepts flags as a list, keyed by each flag key', () => {
    const set = accepted({
      flags: [
        { key: 'a', ...boolFlag },
        { key: 'b', ...boolFlag, defaultVariant: 'on' },
      ],
    });
    expect([...set.flags.keys()]).toEqual(['a', 'b']);
    expect(entry(set, 'b').definition.defaultVariant).toBe('on');
  });

  it('skips a listed flag without a key, with a warning', () => {
    const set = accepted({ flags: [boolFlag, { key: 'b', ...boolFlag }] });
    expect([...set.flags.keys()]).toEqual(['b']);
    expect(set.warnings).toContain(`${ORIGIN}: flags.0: a listed flag needs a non-empty "key"; skipped`);
  });

  it('keeps the last of two listed flags with one key, with a warning', () => {
    const set = accepted({
      flags: [
        { key: 'a', ...boolFlag },
        { key: 'a', ...boolFlag, state: 'DISABLED' },
      ],
    });
    expect(entry(set, 'a').definition.state).toBe('DISABLED');
    expect(set.warnings).toContain(`${ORIGIN}: flags.a: listed more than once; the last one wins`);
  });
});

describe('normalizeFlagSet: prototype keys and hostile input', () => {
  const document = JSON.parse(
    '{"flags": {"__proto__": {"state": "ENABLED", "variants": {"__proto__": "proto", "constructor": "ctor"}, "defaultVariant": "__proto__"},' +
      ' "constructor": {"state": "DISABLED", "variants": {"on": true}}}, "metadata": {"__proto__": "x"}}',
  ) as unknown;

  it('loads flags keyed __proto__ and constructor like any other', () => {
    const set = accepted(document);
    expect([...set.flags.keys()]).toEqual(['__proto__', 'constructor']);
    expect(entry(set, '__proto__').definition.defaultVariant).toBe('__proto__');
    expect(entry(set, 'constructor').definition.state).toBe('DISABLED');
  });

  it('pollutes no prototype', () => {
    accepted(document);
    const plain: Record<string, unknown> = {};
    expect([plain['state'], plain['variants'], plain['defaultVariant']]).toEqual([undefined, undefined, undefined]);
    expect(Object.getPrototypeOf(entry(accepted(document), '__proto__').definition.variants)).toBe(Object.prototype);
  });

  it('loads a flag whose targeting nests far too deep, failing only that flag', () => {
    let deep: unknown = 'on';
    for (let level = 0; level < 100_000; level += 1) deep = { '!': [deep] };
    const set = accepted({ flags: { deep: { ...boolFlag, targeting: deep }, fine: boolFlag } });
    expect(entry(set, 'deep').loadError).toBe(
      `${ORIGIN}: flags.deep.targeting: targeting nests deeper than 256 levels`,
    );
    expect(set.warnings).toContain(`${ORIGIN}: flags.deep.targeting: is nested too deeply to check`);
    expect(entry(set, 'fine').loadError).toBeUndefined();
  });
});
