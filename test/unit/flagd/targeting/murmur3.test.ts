import fc from 'fast-check';
import murmurhash from 'murmurhash-js';
import { describe, expect, it } from 'vitest';
import { murmur3Utf8 } from '../../../../src/flagd/targeting/murmur3.js';

/** An independent oracle: murmurhash-js hashes `charCodeAt & 0xff`, so give it the UTF-8 bytes as a binary string. */
function referenceHash(text: string): number {
  return murmurhash.murmur3(Buffer.from(text, 'utf8').toString('latin1'), 0) >>> 0;
}

describe('murmur3Utf8', () => {
  // Golden vectors: flagd's facts (0, 0x7fffffff, 0x80000000, café) and the flagd-testbed's
  // brute-forced boundary keys, whose values murmurhash-js over UTF-8 bytes confirms.
  it.each([
    ['ejOoVL', 0x00000000],
    ['bY9fO-', 0x00000001],
    ['SI7p-', 0x7fffffff],
    ['6LvT0', 0x80000000],
    ['ceQdGm', 0xffffffff],
    ['café', 0x241c0f08],
  ])("hashes %j to flagd's value", (text, expected) => {
    expect(murmur3Utf8(text)).toBe(expected);
  });

  it('hashes the UTF-8 bytes, not the UTF-16 code units', () => {
    expect(murmur3Utf8('café')).toBe(referenceHash('café'));
    expect(murmur3Utf8('café')).not.toBe(murmurhash.murmur3('café', 0) >>> 0);
  });

  it.each([
    ['two-byte characters', 'héllo wörld'],
    ['three-byte characters', '日本語のキー'],
    ['four-byte characters (surrogate pairs)', '😀🚀x'],
    ['a lone high surrogate, encoded as U+FFFD', 'a\ud800b'],
    ['a lone low surrogate, encoded as U+FFFD', 'a\udc00b'],
    ['a trailing lone surrogate', 'ab\ud83d'],
    ['the empty string', ''],
  ])('agrees with murmurhash-js over UTF-8 bytes for %s', (_, text) => {
    expect(murmur3Utf8(text)).toBe(referenceHash(text));
  });

  it('agrees with murmurhash-js over UTF-8 bytes for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 24 }), (text) => murmur3Utf8(text) === referenceHash(text)),
      { numRuns: 300 },
    );
  });

  it('hashes prefix + text as one byte stream, whatever the split', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 12 }),
        fc.string({ unit: 'grapheme', maxLength: 12 }),
        (prefix, text) => {
          return murmur3Utf8(text, prefix) === referenceHash(prefix + text);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
