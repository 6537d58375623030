const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const REPLACEMENT_CHARACTER_UTF8 = 0xbdbfef; // EF BF BD, packed first byte lowest

/**
 * MurmurHash3 x86_32 with seed 0 over the UTF-8 bytes of `prefix + text`, as flagd (Go) hashes
 * its bucketing keys. The bytes are streamed straight from the UTF-16 code units, so hashing
 * allocates nothing and never builds the concatenated string. A lone surrogate encodes as
 * U+FFFD, as Go's JSON decoder and `TextEncoder` both do.
 */
export function murmur3Utf8(text: string, prefix = ''): number {
  let hash = 0;
  let block = 0;
  let filled = 0;
  let length = 0;
  for (let part = 0; part < 2; part++) {
    const source = part === 0 ? prefix : text;
    for (let i = 0; i < source.length; i++) {
      const unit = source.charCodeAt(i);
      let packed: number;
      let count: number;
      if (unit < 0x80) {
        packed = unit;
        count = 1;
      } else if (unit < 0x800) {
        packed = 0xc0 | (unit >> 6) | ((0x80 | (unit & 0x3f)) << 8);
        count = 2;
      } else if (unit >= 0xd800 && unit <= 0xdfff) {
        const next = source.charCodeAt(i + 1);
        if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const point = 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
          packed =
            0xf0 |
            (point >> 18) |
            ((0x80 | ((point >> 12) & 0x3f)) << 8) |
            ((0x80 | ((point >> 6) & 0x3f)) << 16) |
            ((0x80 | (point & 0x3f)) << 24);
          count = 4;
          i++;
        } else {
          packed = REPLACEMENT_CHARACTER_UTF8;
          count = 3;
        }
      } else {
        packed = 0xe0 | (unit >> 12) | ((0x80 | ((unit >> 6) & 0x3f)) << 8) | ((0x80 | (unit & 0x3f)) << 16);
        count = 3;
      }
      for (let b = 0; b < count; b++) {
        block |= ((packed >>> (8 * b)) & 0xff) << (8 * filled);
        filled++;
        if (filled === 4) {
          hash = mixBlock(hash, block);
          block = 0;
          filled = 0;
        }
      }
      length += count;
    }
  }
  if (filled > 0) hash ^= scramble(block);
  return finalize(hash ^ length);
}

function scramble(block: number): number {
  const k = Math.imul(block, C1);
  return Math.imul((k << 15) | (k >>> 17), C2);
}

function mixBlock(hash: number, block: number): number {
  const h = hash ^ scramble(block);
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

function finalize(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
