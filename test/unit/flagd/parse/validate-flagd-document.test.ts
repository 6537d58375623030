import { describe, expect, it } from 'vitest';
import {
  validateAgainstFlagdSchema,
  validateFlagdDocument,
} from '../../../../src/flagd/parse/validate-flagd-document.js';

const flag = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' };

describe('validateFlagdDocument', () => {
  it('finds nothing wrong with a valid document, in map or list form', () => {
    expect(validateFlagdDocument({ flags: { f: flag } })).toEqual([]);
    expect(validateFlagdDocument({ flags: [{ key: 'f', ...flag }] })).toEqual([]);
  });

  it.each([
    ['a document that is not an object', 'flags', ['document: must be an object with a "flags" object']],
    ['a missing flags object', {}, ['flags: is required']],
    ['an empty flag key', { flags: { '': flag } }, ['flags: key "" must be at least one character, on one line']],
    ['a missing state', { flags: { f: { variants: { a: 1 } } } }, ['flags.f.state: is required']],
    ['empty variants', { flags: { f: { state: 'ENABLED', variants: {} } } }, ['flags.f.variants: must not be empty']],
    [
      'a numeric defaultVariant',
      { flags: { f: { ...flag, defaultVariant: 1 } } },
      ['flags.f.defaultVariant: must be string or null'],
    ],
    ['a listed flag without key', { flags: [flag] }, ['flags.0.key: is required']],
    [
      'an evaluator that is not a rule',
      { flags: {}, $evaluators: { shared: { nope: 1 } } },
      ['$evaluators.shared: unknown operator "nope"'],
    ],
    ['evaluators given as a list', { flags: {}, $evaluators: [] }, ['$evaluators: must be an object of named rules']],
    [
      'a flag key with a dot',
      { flags: { 'a.b': { ...flag, state: 'x' } } },
      ['flags["a.b"].state: must be ENABLED or DISABLED'],
    ],
  ])('reports %s', (_, document, lines) => {
    expect(validateFlagdDocument(document)).toEqual(lines);
  });

  it('locates a broken operand deep inside targeting', () => {
    const targeting = { if: [{ sem_ver: [{ var: 'version' }, '*', '2.0.0'] }, 'on', 'off'] };
    expect(validateFlagdDocument({ flags: { f: { ...flag, targeting } } })).toEqual([
      'flags.f.targeting.if.0.sem_ver.1: must be one of: =, !=, >, <, >=, <=, ~, ^',
    ]);
  });

  it('reports a deeply nested targeting as too deep rather than throwing', () => {
    let deep: unknown = true;
    for (let level = 0; level < 100_000; level += 1) deep = { '!': [deep] };
    expect(validateFlagdDocument({ flags: { f: { ...flag, targeting: deep } } })).toEqual([
      'flags.f.targeting: is nested too deeply to check',
    ]);
  });
});

describe('validateAgainstFlagdSchema', () => {
  it('accepts flags only as a map in the provider document', () => {
    expect(validateAgainstFlagdSchema('provider-document', { flags: [{ key: 'f', ...flag }] })).toEqual([
      'flags: must be an object keyed by flag key',
    ]);
  });

  it.each([
    ['an unknown operator', { if: [{ foo: 1 }, 'a'] }, ['if.0: unknown operator "foo"']],
    [
      'operators of different kinds in one object',
      { var: 'x', '==': [1, 1] },
      ['document: holds operators that cannot share one object: ==, var'],
    ],
    ['an empty object as an operand', { if: [{}, 'a'] }, ['if.0: must not be an empty object']],
    [
      'a reference with another key',
      { if: [{ $ref: 'x', y: 1 }, 'a'] },
      ['if.0: a {"$ref": name} object holds nothing else, found "y"'],
    ],
    ['a missing operand', { '==': [1] }, ['==: must have at least 2 items']],
    [
      'an unknown $flagd property',
      { in: ['a', { var: '$flagd.nope' }] },
      ['in.1.var: names no $flagd property: flagd provides only $flagd.timestamp and $flagd.flagKey'],
    ],
    ['a bucket after the buckets started', { fractional: [['a', 1], 'b'] }, ['fractional.1: must be array']],
    [
      'a negative weight',
      {
        fractional: [
          ['a', 1],
          ['b', -1],
        ],
      },
      ['fractional.1.1: must be >= 0'],
    ],
  ])('explains %s in targeting', (_, targeting, lines) => {
    expect(validateAgainstFlagdSchema('targeting', targeting)).toEqual(lines);
  });

  it('accepts an empty targeting', () => {
    expect(validateAgainstFlagdSchema('targeting', {})).toEqual([]);
  });
});
