import { describe, expect, it } from 'vitest';
import { isSameJsonValue } from '../../../src/document/same-json-value.js';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level += 1) value = { '!': [value] };
  return value;
}

describe('isSameJsonValue', () => {
  it.each([
    ['equal strings', 'on', 'on'],
    ['equal numbers', 1.5, 1.5],
    ['two nulls', null, null],
    ['NaN and NaN', Number.NaN, Number.NaN],
    [
      'objects parsed from texts that differ only in whitespace',
      JSON.parse('{"a": [1, {"b": null}]}'),
      JSON.parse('{ "a":[1,{"b":null}] }'),
    ],
    ['empty objects', {}, {}],
    ['empty arrays', [], []],
    [
      'objects without a prototype and plain ones with the same entries',
      Object.assign(Object.create(null) as object, { a: 1 }),
      { a: 1 },
    ],
  ])('calls %s the same', (_, a, b) => {
    expect(isSameJsonValue(a, b)).toBe(true);
  });

  it.each([
    ['different strings', 'on', 'off'],
    ['a number and its string', 1, '1'],
    ['0 and -0', 0, -0],
    ['null and an empty object', null, {}],
    ['an array and an object with index keys', ['x'], { 0: 'x' }],
    ['arrays of different lengths', [1, 2], [1, 2, 3]],
    ['arrays in a different order', [1, 2], [2, 1]],
    ['objects with a key more', { a: 1 }, { a: 1, b: 2 }],
    ['objects with the same entries in a different order', { a: 1, b: 2 }, { b: 2, a: 1 }],
    ['objects whose values differ deep down', { a: { b: [{ c: true }] } }, { a: { b: [{ c: false }] } }],
    ['a key holding undefined and no key at all', { a: undefined }, {}],
    ['two dates of the same instant', new Date(0), new Date(0)],
    ['two maps with the same entries', new Map([['a', 1]]), new Map([['a', 1]])],
  ])('tells apart %s', (_, a, b) => {
    expect(isSameJsonValue(a, b)).toBe(false);
  });

  it('calls a non-JSON object the same only as itself', () => {
    const date = new Date(0);
    expect(isSameJsonValue(date, date)).toBe(true);
  });

  it('compares values nested 400 levels deep', () => {
    // Each level of `nested` is an object and an array.
    expect(isSameJsonValue(nested(200), nested(200))).toBe(true);
    expect(isSameJsonValue(nested(200), nested(199))).toBe(false);
  });

  it('calls values nested far deeper than it compares different, without overflowing the stack', () => {
    expect(isSameJsonValue(nested(100_000), nested(100_000))).toBe(false);
  });
});
