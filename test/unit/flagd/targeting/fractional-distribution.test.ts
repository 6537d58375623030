import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_TOTAL_WEIGHT,
  parseDistribution,
  pickBucket,
} from '../../../../src/flagd/targeting/fractional-distribution.js';

/** floor(hash × total / 2^32) with BigInt: the exact answer, computed independently. */
function referenceBucket(hash: number, total: number): number {
  return Number((BigInt(hash) * BigInt(total)) >> 32n);
}

describe('parseDistribution', () => {
  it('reads [variant, weight] buckets into cumulative ends', () => {
    expect(
      parseDistribution([
        ['a', 25],
        ['b', 75],
      ]),
    ).toEqual({ variants: ['a', 'b'], ends: [25, 100], totalWeight: 100 });
  });

  it.each([
    ['a missing weight', [['a'], ['b', 3]], [1, 4]],
    [
      'a null weight (flagd treats it as absent)',
      [
        ['a', null],
        ['b', 1],
      ],
      [1, 2],
    ],
    [
      'a negative weight, clamped to 0',
      [
        ['a', -50],
        ['b', 100],
      ],
      [0, 100],
    ],
    [
      'extra elements after the weight, ignored as flagd does',
      [
        ['a', 2, 'extra'],
        ['b', 2],
      ],
      [2, 4],
    ],
  ])('accepts %s', (_, buckets, ends) => {
    expect(parseDistribution(buckets)?.ends).toEqual(ends);
  });

  it.each([
    ['a boolean', true],
    ['a number', 1.5],
    ['null', null],
  ])('accepts %s as a variant', (_, variant) => {
    expect(parseDistribution([[variant, 1]])?.variants).toEqual([variant]);
  });

  it.each([
    ['a bucket that is not a list', ['a', 50]],
    ['an empty bucket', [[]]],
    ['an object variant', [[{ a: 1 }, 1]]],
    ['a list variant', [[['a'], 1]]],
    ['a fractional weight', [['a', 0.5]]],
    ['a string weight', [['a', '50']]],
    ['a boolean weight', [['a', true]]],
    ['a weight above 2^31-1', [['a', MAX_TOTAL_WEIGHT + 1]]],
    [
      'a total above 2^31-1',
      [
        ['a', MAX_TOTAL_WEIGHT],
        ['b', 1],
      ],
    ],
    ['a weight below -2^63, which Go cannot convert exactly', [['a', -(2 ** 64)]]],
  ])('rejects %s', (_, buckets) => {
    expect(parseDistribution(buckets)).toBeUndefined();
  });

  it('accepts a total of exactly 2^31-1', () => {
    expect(
      parseDistribution([
        ['a', MAX_TOTAL_WEIGHT - 1],
        ['b', 1],
      ])?.totalWeight,
    ).toBe(MAX_TOTAL_WEIGHT);
  });
});

describe('pickBucket', () => {
  const halves = { variants: ['lower', 'upper'], ends: [50, 100], totalWeight: 100 };

  it.each([
    ['hash 0', 0x00000000, 'lower'],
    ['hash 1', 0x00000001, 'lower'],
    ['hash 0x7fffffff, the last of the lower half', 0x7fffffff, 'lower'],
    ['hash 0x80000000, the first of the upper half', 0x80000000, 'upper'],
    ['hash 0xffffffff', 0xffffffff, 'upper'],
  ])('puts %s in the right half', (_, hash, expected) => {
    expect(pickBucket(halves, hash)).toBe(expected);
  });

  it('answers null when every weight is zero', () => {
    expect(pickBucket({ variants: ['a', 'b'], ends: [0, 0], totalWeight: 0 }, 0x12345678)).toBeNull();
  });

  it('never picks a zero-weight bucket', () => {
    const distribution = { variants: ['a', 'never', 'b'], ends: [1, 1, 2], totalWeight: 2 };
    expect([0, 0x7fffffff, 0x80000000, 0xffffffff].map((hash) => pickBucket(distribution, hash))).toEqual([
      'a',
      'a',
      'b',
      'b',
    ]);
  });

  it('computes floor(hash × total / 2^32) exactly where the product exceeds 2^53', () => {
    expect(
      pickBucket(
        { variants: ['a', 'b'], ends: [MAX_TOTAL_WEIGHT - 1, MAX_TOTAL_WEIGHT], totalWeight: MAX_TOTAL_WEIGHT },
        0xffffffff,
      ),
    ).toBe('b');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 1, max: MAX_TOTAL_WEIGHT }),
        (hash, total) => {
          const expected = referenceBucket(hash, total);
          // Two buckets split at the reference bucket: the pick shows which side the bucket fell on.
          const split = { variants: ['at or below', 'above'], ends: [expected + 1, total], totalWeight: total };
          const below = { variants: ['below', 'at or above'], ends: [expected, total], totalWeight: total };
          return pickBucket(split, hash) === 'at or below' && pickBucket(below, hash) === 'at or above';
        },
      ),
      { numRuns: 5000 },
    );
  });
});
