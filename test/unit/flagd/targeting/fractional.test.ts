import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planFractional } from '../../../../src/flagd/targeting/fractional-plan.js';
import { fractional } from '../../../../src/flagd/targeting/fractional.js';

const SUITS = [
  ['clubs', 25],
  ['diamonds', 25],
  ['hearts', 25],
  ['spades', 25],
];

describe('fractional', () => {
  // Expected buckets from the flagd-testbed evaluator suite (fractional.feature, @fractional-v2).
  it.each([
    ['fractional-flagjack', 'hearts'],
    ['fractional-flagqueen', 'spades'],
    ['fractional-flagten', 'clubs'],
    ['fractional-flagnine', 'diamonds'],
    ['fractional-flag3', 'clubs'],
    ['shared-seedseven', 'hearts'],
    ['shared-seedeight', 'diamonds'],
    ['shared-seednine', 'clubs'],
    ['shared-seedtwo', 'spades'],
  ])('buckets the explicit key %j into %s as flagd does', (key, expected) => {
    expect(fractional([key, ...SUITS], {}, 'any-flag')).toBe(expected);
  });

  it.each([
    ['jon@company.com', 'heads'],
    ['jane@company.com', 'tails'],
  ])('buckets by flag key + targeting key %j without an explicit key', (targetingKey, expected) => {
    expect(fractional([['heads'], ['tails', 1]], { targetingKey }, 'fractional-flag-shorthand')).toBe(expected);
  });

  it.each([
    ['ejOoVL', 'lower'],
    ['SI7p-', 'lower'],
    ['6LvT0', 'upper'],
    ['café', 'lower'],
  ])('hashes the UTF-8 bytes of %j (hash boundaries of a 50/50 split)', (key, expected) => {
    expect(fractional([key, ['lower', 50], ['upper', 50]], {}, 'flag')).toBe(expected);
  });

  it('drops a null first argument (a missing bucketing value) and uses the targeting key, as flagd does', () => {
    const viaNull = fractional([null, ['one', 1], ['two', 1]], { targetingKey: 'user-1' }, 'flag');
    expect(viaNull).toBe(
      fractional(
        [
          ['one', 1],
          ['two', 1],
        ],
        { targetingKey: 'user-1' },
        'flag',
      ),
    );
    expect(viaNull).not.toBeNull();
  });

  it.each([
    ['no targeting key', {}],
    ['an empty targeting key', { targetingKey: '' }],
    ['a targeting key that is not a string', { targetingKey: 42 }],
    ['data that is not an object', null],
  ])('answers null with %s and no explicit key', (_, data) => {
    expect(
      fractional(
        [
          ['one', 1],
          ['two', 1],
        ],
        data,
        'flag',
      ),
    ).toBeNull();
  });

  it.each([
    ['arguments that are not a list', 'one'],
    ['no arguments', []],
    ['all weights zero', ['key', ['one', 0], ['two', 0]]],
    ['a bucket that is not a list', ['key', 'one']],
    ['a fractional weight', ['key', ['one', 0.5], ['two', 1]]],
    ['a key but no buckets', ['key']],
    ['a number first argument, which is neither key nor bucket', [7, ['one', 1]]],
  ])('answers null for %s', (_, args) => {
    expect(fractional(args, { targetingKey: 'user-1' }, 'flag')).toBeNull();
  });

  it('clamps a negative weight to zero', () => {
    expect(
      fractional(
        [
          ['one', -50],
          ['two', 100],
        ],
        { targetingKey: 'any-user' },
        'flag',
      ),
    ).toBe('two');
  });

  it('always picks the only bucket of a single-entry distribution', () => {
    expect(fractional([['single', 1]], { targetingKey: 'some-targeting-key' }, 'flag')).toBe('single');
  });

  it('returns non-string variants as they are, so fractional can serve as a condition', () => {
    expect(
      fractional(
        [
          [false, 0],
          [true, 100],
        ],
        { targetingKey: 'some-targeting-key' },
        'flag',
      ),
    ).toBe(true);
  });
});

describe('planFractional', () => {
  it('leaves computed buckets to the general operator', () => {
    expect(planFractional(['key', [{ var: 'color' }, 50], ['blue', 50]], 'flag')).toBeUndefined();
    expect(planFractional(['key', ['red', { var: 'weight' }]], 'flag')).toBeUndefined();
  });

  it('plans literal buckets, keeping only the bucketing key for evaluation', () => {
    expect(planFractional([{ var: 'user.id' }, ['a', 1], ['b', 1]], 'flag')?.keyExpression).toEqual({ var: 'user.id' });
    expect(
      planFractional(
        [
          ['a', 1],
          ['b', 1],
        ],
        'flag',
      )?.keyExpression,
    ).toBeNull();
  });

  it('answers exactly as the general operator for any key, targeting key and weights', () => {
    const bucket = fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: -5, max: 1000 }));
    const key = fc.oneof(fc.string(), fc.constant(null), fc.constant(undefined), fc.tuple(fc.constant('d'), fc.nat(9)));
    const data = fc.record({ targetingKey: fc.oneof(fc.string(), fc.constant(undefined)) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(bucket, { minLength: 1, maxLength: 5 }), key, data, (buckets, keyValue, context) => {
        const plan = planFractional([{ var: 'k' }, ...buckets], 'flag');
        if (plan === undefined) return fractional([keyValue, ...buckets], context, 'flag') === null;
        return plan.evaluate(keyValue, context) === fractional([keyValue ?? null, ...buckets], context, 'flag');
      }),
      { numRuns: 1000 },
    );
  });
});
