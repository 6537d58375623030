import { describe, expect, it } from 'vitest';
import { decodeJsonPointer } from '../../../../src/flagd/parse/decode-json-pointer.js';

describe('decodeJsonPointer', () => {
  it.each([
    ['', {}, []],
    ['/flags/a~1b/variants', { flags: { 'a/b': { variants: {} } } }, ['flags', 'a/b', 'variants']],
    ['/flags/x~0y', { flags: { 'x~y': {} } }, ['flags', 'x~y']],
    ['/steps/2/at', { steps: [{}, {}, {}] }, ['steps', 2, 'at']],
    ['/flags/7', { flags: { 7: {} } }, ['flags', '7']],
  ])('decodes %j into its segments, indexes only inside arrays', (pointer, root, expected) => {
    expect(decodeJsonPointer(pointer, root)).toEqual(expected);
  });

  it('follows an own __proto__ key as data, so an index under it is read as an array index', () => {
    const root = JSON.parse('{"flags": {"__proto__": [true]}}') as unknown;
    expect(decodeJsonPointer('/flags/__proto__/0', root)).toEqual(['flags', '__proto__', 0]);
  });
});
