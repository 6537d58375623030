import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/document/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts object keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: null }], a: 'x' })).toBe('{"a":"x","b":[3,{"a":null,"z":1}]}');
  });

  it('leaves out properties whose value is undefined, as JSON.stringify does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson([undefined])).toBe('[null]');
  });

  it('writes strings, keys and numbers as JSON does', () => {
    expect(canonicalJson({ 'quote"d': 'line\nbreak', n: 1.5e-7, big: 10n })).toBe(
      '{"big":10,"n":1.5e-7,"quote\\"d":"line\\nbreak"}',
    );
  });

  it('serialises a value nested deeper than the stack allows', () => {
    let deep: unknown = 0;
    for (let level = 0; level < 200_000; level += 1) deep = [deep];
    expect(canonicalJson(deep)).toBe(`${'['.repeat(200_000)}0${']'.repeat(200_000)}`);
  });
});
