import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateJsonSyntaxError } from '../../../src/document/locate-json-syntax-error.js';

/** JSON.parse is the oracle: the scanner must find an error exactly when the engine's parser does. */
function engineAccepts(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const jsonText = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value, null, 1));
const damage = fc.record({
  at: fc.nat(),
  cut: fc.integer({ min: 0, max: 2 }),
  insert: fc.constantFrom('', ',', '}', ']', '"', ':', '{', '[', 'x', '\\', '\n', ' '),
});

describe('locateJsonSyntaxError', () => {
  it('finds nothing in any text the engine parses', () => {
    fc.assert(fc.property(jsonText, (text) => locateJsonSyntaxError(text) === undefined));
  });

  it('finds an error, inside the text, exactly when the engine rejects a damaged text', () => {
    fc.assert(
      fc.property(jsonText, damage, (text, { at, cut, insert }) => {
        const position = at % (text.length + 1);
        const damaged = text.slice(0, position) + insert + text.slice(position + cut);
        const located = locateJsonSyntaxError(damaged);
        expect(located === undefined).toBe(engineAccepts(damaged));
        if (located !== undefined) expect(located.offset).toBeLessThanOrEqual(damaged.length);
      }),
      { numRuns: 2000 },
    );
  });
});
