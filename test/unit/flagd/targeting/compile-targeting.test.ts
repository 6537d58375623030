import { describe, expect, it } from 'vitest';
import { compileTargeting } from '../../../../src/flagd/targeting/compile-targeting.js';

function run(targeting: unknown, data: Record<string, unknown>): unknown {
  const compiled = compileTargeting(targeting, 'flag');
  if (typeof compiled === 'string') throw new Error(compiled);
  return compiled.rule(data);
}

describe('compileTargeting', () => {
  it('compiles standard JSON Logic', () => {
    expect(run({ if: [{ in: [{ var: 'country' }, ['de', 'fr']] }, 'eu', 'world'] }, { country: 'fr' })).toBe('eu');
  });

  it.each([
    ['starts_with', { starts_with: [{ var: 'id' }, 'abc'] }, { id: 'abcdef' }, true],
    ['ends_with', { ends_with: [{ var: 'id' }, 'xyz'] }, { id: 'uvwxyz' }, true],
    ['sem_ver', { sem_ver: [{ var: 'version' }, '>=', '1.2.0'] }, { version: '1.10.0' }, true],
    ['fractional with literal buckets', { fractional: ['ejOoVL', ['lower', 50], ['upper', 50]] }, {}, 'lower'],
    [
      'fractional with a computed key',
      { fractional: [{ var: 'id' }, ['lower', 50], ['upper', 50]] },
      { id: '6LvT0' },
      'upper',
    ],
    [
      'fractional with computed buckets',
      { fractional: [{ var: 'id' }, [{ var: 'name' }, 50], ['upper', 50]] },
      { id: 'SI7p-', name: 'mine' },
      'mine',
    ],
    [
      'fractional inside another operator',
      {
        if: [
          {
            fractional: [
              [false, 0],
              [true, 1],
            ],
          },
          'yes',
          'no',
        ],
      },
      { targetingKey: 'u' },
      'yes',
    ],
  ])('registers the flagd operator %s', (_, targeting, data, expected) => {
    expect(run(targeting, data)).toBe(expected);
  });

  it('answers `in` over a long literal list as Array.prototype.includes does, for every kind of item', () => {
    const list = [...Array.from({ length: 40 }, (_, i) => `user-${i}`), 0, 1.5, null, true, Number.NaN, ''];
    const probes = ['user-0', 'user-39', 'user-40', 0, -0, '0', 1.5, null, false, true, Number.NaN, '', [], {}];
    for (const probe of probes) {
      expect(run({ in: [{ var: 'x' }, list] }, { x: probe }), JSON.stringify(probe)).toBe(
        list.includes(probe as never),
      );
    }
    expect(run({ in: [{ var: 'x' }, list] }, {})).toBe(true); // a missing var reads as null, which is listed
  });

  it('reads $flagd.flagKey as the compiled flag key', () => {
    expect(run({ cat: [{ var: '$flagd.flagKey' }, '!'] }, { $flagd: { flagKey: 'sent by the caller' } })).toBe('flag!');
  });

  it('buckets by flag key + targeting key, with the flag key bound at compile time', () => {
    const shorthand = compileTargeting({ fractional: [['heads'], ['tails', 1]] }, 'fractional-flag-shorthand');
    if (typeof shorthand === 'string') throw new Error(shorthand);
    // Expected buckets from the flagd-testbed (fractional.feature, "Fractional operator shorthand").
    expect(shorthand.rule({ targetingKey: 'jon@company.com' })).toBe('heads');
    expect(shorthand.rule({ targetingKey: 'jane@company.com' })).toBe('tails');
  });

  it.each([
    [
      'an unknown operator',
      { if: [{ unknown_op: [1] }, 'a', 'b'] },
      "Targeting of flag 'flag' uses unknown operator 'unknown_op'",
    ],
    [
      'an object with two operators',
      { if: [true, 'a'], var: 'x' },
      "Targeting of flag 'flag' has an object with several keys (if, var) where one operation belongs",
    ],
    [
      'a $ref left unresolved',
      { if: [{ $ref: 'missing' }, 'a', 'b'] },
      "Targeting of flag 'flag' uses unknown operator '$ref'",
    ],
  ])('reports %s', (_, targeting, message) => {
    expect(compileTargeting(targeting, 'flag')).toBe(message);
  });

  it('reports a constant part that fails already at compile time', () => {
    expect(compileTargeting({ if: [{ '/': [1, 0] }, 'a', 'b'] }, 'flag')).toBe(
      "Targeting of flag 'flag' does not compile: not a number",
    );
  });
});
