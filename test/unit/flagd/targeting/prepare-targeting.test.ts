import { describe, expect, it } from 'vitest';
import {
  MAX_TARGETING_DEPTH,
  MAX_TARGETING_NODES,
  prepareTargeting,
} from '../../../../src/flagd/targeting/prepare-targeting.js';

/** A rule whose arrays and objects nest exactly `depth` levels: the operator, its argument list, and lists inside. */
function nested(depth: number): unknown {
  let list: unknown = 'x';
  for (let i = 2; i < depth; i++) list = [list];
  return { in: ['x', list] };
}

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('prepareTargeting', () => {
  it('binds {"var": "$flagd.flagKey"} to the flag key', () => {
    const prepared = prepareTargeting({ '==': [{ var: '$flagd.flagKey' }, 'my-flag'] }, 'my-flag');
    expect(prepared).toEqual({ tree: { '==': ['my-flag', 'my-flag'] }, injectsFlagdProperties: false });
  });

  it('binds the flag key into fractional', () => {
    const prepared = prepareTargeting({ fractional: [['a', 1]] }, 'my-flag');
    expect(prepared).toEqual({ tree: { $fractional: ['my-flag', [['a', 1]]] }, injectsFlagdProperties: false });
  });

  it('leaves the input rule untouched', () => {
    const rule = { if: [{ '==': [{ var: '$flagd.flagKey' }, 'f'] }, 'on', 'off'] };
    const copy = structuredClone(rule);
    prepareTargeting(rule, 'f');
    expect(rule).toEqual(copy);
  });

  it('does not bind the flag key inside an iterator, where var reads the item', () => {
    const prepared = prepareTargeting({ map: [{ var: 'items' }, { var: '$flagd.flagKey' }] }, 'f');
    expect(prepared).toEqual({
      tree: { map: [{ var: 'items' }, { var: '$flagd.flagKey' }] },
      injectsFlagdProperties: true,
    });
  });

  it.each([
    ['plain context paths', { and: [{ var: 'email' }, { var: ['user.name', 'x'] }, { missing: ['a', 'b.c'] }] }, false],
    ['the timestamp', { '>': [{ var: '$flagd.timestamp' }, 0] }, true],
    ['the whole $flagd object', { var: '$flagd' }, true],
    ['the whole data object', { var: '' }, true],
    ['a computed path', { var: { cat: ['$fl', 'agd.timestamp'] } }, true],
    ['a missing check on $flagd', { missing: ['$flagd.timestamp'] }, true],
    ['a "../" path, which climbs no scope in flagd', { map: [[1], { var: '../email' }] }, false],
  ])('injects $flagd for a rule reading %s: %s', (_, rule, injects) => {
    const prepared = prepareTargeting(rule, 'f');
    expect(typeof prepared === 'object' && prepared.injectsFlagdProperties).toBe(injects);
  });

  it(`accepts a rule nested exactly ${MAX_TARGETING_DEPTH} levels deep`, () => {
    const rule = nested(MAX_TARGETING_DEPTH);
    expect(depthOf(rule)).toBe(MAX_TARGETING_DEPTH);
    expect(typeof prepareTargeting(rule, 'f')).toBe('object');
  });

  it(`rejects a rule nested deeper than ${MAX_TARGETING_DEPTH} levels, at any depth without overflowing the stack`, () => {
    const justOver = nested(MAX_TARGETING_DEPTH + 1);
    expect(depthOf(justOver)).toBe(MAX_TARGETING_DEPTH + 1);
    expect(prepareTargeting(justOver, 'f')).toBe(
      `Targeting of flag 'f' nests deeper than ${MAX_TARGETING_DEPTH} levels`,
    );
    expect(prepareTargeting(nested(50_000), 'f')).toBe(
      `Targeting of flag 'f' nests deeper than ${MAX_TARGETING_DEPTH} levels`,
    );
  });

  it('rejects a rule whose shared subtrees would expand beyond the node limit', () => {
    let shared: unknown = { var: 'x' };
    for (let i = 0; i < 40; i++) shared = { cat: [shared, shared] };
    expect(prepareTargeting(shared, 'f')).toBe(`Targeting of flag 'f' has more than ${MAX_TARGETING_NODES} nodes`);
  });

  it('accepts a long literal list, which counts as one node', () => {
    const users = Array.from({ length: 200_000 }, (_, i) => `user-${i}`);
    expect(typeof prepareTargeting({ in: [{ var: 'targetingKey' }, users] }, 'f')).toBe('object');
  });

  it('rejects the internal bound form of fractional written by hand', () => {
    expect(prepareTargeting({ $fractional: ['other-flag', [['a', 1]]] }, 'f')).toBe(
      "Targeting of flag 'f' uses unknown operator '$fractional'",
    );
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'nope'])(
    'rejects %j, which is no operator of the engine',
    (operator) => {
      const rule: unknown = JSON.parse(`{"if": [{${JSON.stringify(operator)}: [1]}, "a", "b"]}`);
      expect(prepareTargeting(rule, 'f')).toBe(`Targeting of flag 'f' uses unknown operator '${operator}'`);
    },
  );

  it.each([
    'val',
    'exists',
    '??',
    'preserve',
    'eachKey',
    'pipe',
    'try',
    'throw',
    'keys',
    'length',
    'get',
    '?:',
    'every',
  ])("rejects json-logic-engine's %j, which flagd's targeting does not have, naming it", (operator) => {
    const rule: unknown = JSON.parse(`{"if": [{${JSON.stringify(operator)}: [{"var": "plan"}]}, "a", "b"]}`);
    expect(prepareTargeting(rule, 'f')).toBe(`Targeting of flag 'f' uses unknown operator '${operator}'`);
  });
});
