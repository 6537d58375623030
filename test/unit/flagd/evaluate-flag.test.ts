import { describe, expect, it } from 'vitest';
import { compileFlag } from '../../../src/flagd/compile-flag.js';
import { evaluateFlag } from '../../../src/flagd/evaluate-flag.js';
import type { CompiledFlag, EvaluationEnv, FlagDefinition, FlagType, FlagValue } from '../../../src/flagd/model.js';

const NOW = 1_700_000_000;
const env: EvaluationEnv = { nowSeconds: () => NOW };
const metadata = { owner: 'team-a', version: 3 };

function flag(definition: Partial<FlagDefinition>, options: { key?: string; loadError?: string } = {}): CompiledFlag {
  const full = {
    state: 'ENABLED',
    variants: { on: true, off: false },
    defaultVariant: 'off',
    metadata,
    ...definition,
  } as FlagDefinition;
  const key = options.key ?? 'my-flag';
  return compileFlag(
    options.loadError === undefined
      ? { key, definition: full }
      : { key, definition: full, loadError: options.loadError },
  );
}

function evaluate<T extends FlagValue>(
  compiled: CompiledFlag | undefined,
  type: FlagType,
  defaultValue: T,
  context = {},
) {
  return evaluateFlag(compiled, 'my-flag', type, defaultValue, context, env);
}

const byEmail = { if: [{ ends_with: [{ var: 'email' }, '@example.com'] }, 'on', null] };

describe('evaluateFlag', () => {
  it('answers STATIC with the default variant when there is no targeting', () => {
    expect(evaluate(flag({}), 'boolean', true)).toEqual({
      value: false,
      variant: 'off',
      reason: 'STATIC',
      flagMetadata: metadata,
    });
  });

  it('returns the same frozen answer to every static evaluation, allocating nothing', () => {
    const compiled = flag({});
    const first = evaluate(compiled, 'boolean', true);
    expect(evaluate(compiled, 'boolean', true, { targetingKey: 'someone' })).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('answers TARGETING_MATCH with the variant the rule names', () => {
    expect(evaluate(flag({ targeting: byEmail }), 'boolean', false, { email: 'a@example.com' })).toEqual({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      flagMetadata: metadata,
    });
  });

  it('answers DEFAULT with the default variant when the rule gives null', () => {
    expect(evaluate(flag({ targeting: byEmail }), 'boolean', true, { email: 'a@other.org' })).toEqual({
      value: false,
      variant: 'off',
      reason: 'DEFAULT',
      flagMetadata: metadata,
    });
  });

  it.each([
    ['a static flag', {}],
    ['a rule giving null', { targeting: byEmail }],
  ])("answers DEFAULT with the caller's default and no variant for %s without a default variant", (_, definition) => {
    expect(evaluate(flag({ ...definition, defaultVariant: null }), 'boolean', true, { email: 'x@other.org' })).toEqual({
      value: true,
      reason: 'DEFAULT',
      flagMetadata: metadata,
    });
  });

  it("answers DISABLED with the caller's default and no variant, as a success", () => {
    expect(evaluate(flag({ state: 'DISABLED', targeting: byEmail }), 'boolean', true)).toEqual({
      value: true,
      reason: 'DISABLED',
      flagMetadata: metadata,
    });
  });

  it('answers DISABLED for a disabled flag even when it could not compile, as flagd-core does', () => {
    expect(evaluate(flag({ state: 'DISABLED', targeting: { nope: [] } }), 'boolean', true).reason).toBe('DISABLED');
  });

  it("answers FLAG_NOT_FOUND with the caller's default and empty metadata for no flag", () => {
    expect(evaluate(undefined, 'string', 'fallback')).toEqual({
      value: 'fallback',
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
      errorMessage: 'Flag not found: my-flag',
      flagMetadata: {},
    });
  });

  it.each([
    [
      'an unknown operator',
      {},
      { targeting: { nope: [1] } },
      "Targeting of flag 'my-flag' uses unknown operator 'nope'",
    ],
    ['a missing $ref', { loadError: "Evaluator 'gone' is not defined" }, {}, "Evaluator 'gone' is not defined"],
  ])("answers PARSE_ERROR for %s, with the flag's metadata", (_, options, definition, message) => {
    expect(evaluate(flag(definition, options), 'boolean', true)).toEqual({
      value: true,
      reason: 'ERROR',
      errorCode: 'PARSE_ERROR',
      errorMessage: message,
      flagMetadata: metadata,
    });
  });

  it('answers GENERAL when the rule names no variant', () => {
    expect(evaluate(flag({ targeting: { if: [true, 'maybe'] } }), 'boolean', true)).toEqual({
      value: true,
      reason: 'ERROR',
      errorCode: 'GENERAL',
      errorMessage: "Targeting of flag 'my-flag' gave 'maybe', which names no variant",
      flagMetadata: metadata,
    });
  });

  it.each([
    ['a list', { merge: [['on']] }, 'a list'],
    ['an object', { var: '' }, 'a object'],
  ])('answers GENERAL when the rule gives %s', (_, targeting, what) => {
    expect(evaluate(flag({ targeting }), 'boolean', true).errorMessage).toBe(
      `Targeting of flag 'my-flag' gave ${what}, which names no variant`,
    );
  });

  it('answers GENERAL when the rule throws during evaluation', () => {
    const dividing = flag({
      variants: { '1': 1, '2': 2 },
      defaultVariant: '1',
      targeting: { '/': [10, { var: 'divisor' }] },
    });
    expect(evaluate(dividing, 'number', 0, { divisor: 0 })).toEqual({
      value: 0,
      reason: 'ERROR',
      errorCode: 'GENERAL',
      errorMessage: "Targeting of flag 'my-flag' failed: not a number",
      flagMetadata: metadata,
    });
  });

  it.each([
    ['true', { if: [true, true, false] }, { true: 'yes', false: 'no' }, 'yes'],
    ['false', { if: [false, true, false] }, { true: 'yes', false: 'no' }, 'no'],
    ['2', { '+': [1, 1] }, { '2': 'two' }, 'two'],
    ['1.5', { '/': [3, 2] }, { '1.5': 'one and a half' }, 'one and a half'],
  ])('looks a non-string result up by its string form (%s)', (name, targeting, variants, value) => {
    expect(evaluate(flag({ variants, defaultVariant: null, targeting }), 'string', 'fallback')).toEqual({
      value,
      variant: name,
      reason: 'TARGETING_MATCH',
      flagMetadata: metadata,
    });
  });

  it.each<[FlagType, FlagValue]>([
    ['string', 'x'],
    ['number', 1],
    ['object', {}],
  ])('answers TYPE_MISMATCH when a boolean flag is requested as %s', (type, defaultValue) => {
    expect(evaluate(flag({}), type, defaultValue)).toEqual({
      value: defaultValue,
      reason: 'ERROR',
      errorCode: 'TYPE_MISMATCH',
      errorMessage: `Flag 'my-flag' resolved to a boolean value, but a ${type} was requested`,
      flagMetadata: metadata,
    });
  });

  it('resolves any variant as its own type when asked for type any, as flagd OFREP and ResolveAll do', () => {
    const mixed = flag({ variants: { on: true, label: 'text' }, defaultVariant: 'on', targeting: byEmail });
    expect(evaluateFlag(mixed, 'my-flag', 'any', null, { email: 'a@example.com' }, env)).toEqual({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      flagMetadata: metadata,
    });
    const labelled = flag({ variants: { on: true, label: 'text' }, defaultVariant: 'label' });
    expect(evaluateFlag(labelled, 'my-flag', 'any', null, {}, env)).toEqual({
      value: 'text',
      variant: 'label',
      reason: 'STATIC',
      flagMetadata: metadata,
    });
  });

  it('checks the type of the default variant on the DEFAULT path too', () => {
    expect(evaluate(flag({ targeting: byEmail }), 'string', 'x').errorCode).toBe('TYPE_MISMATCH');
  });

  it.each<[FlagType, FlagValue, FlagValue]>([
    ['boolean', false, true],
    ['string', '', 'hi'],
    ['number', 0, 1],
    ['object', {}, { a: 1 }],
  ])('resolves the zero value of a %s flag', (type, zero, fallback) => {
    const zeroFlag = flag({ variants: { zero, other: fallback }, defaultVariant: 'zero' });
    expect(evaluate(zeroFlag, type, fallback)).toEqual({
      value: zero,
      variant: 'zero',
      reason: 'STATIC',
      flagMetadata: metadata,
    });
  });

  it('accepts lists and null as object values, as flagd-core does', () => {
    const listFlag = flag({ variants: { list: [1, 2], none: null }, defaultVariant: 'list' });
    expect(evaluate(listFlag, 'object', {}).value).toEqual([1, 2]);
  });

  it('hands out variant values frozen, so no caller can change them for the next', () => {
    const objectFlag = flag({ variants: { v: { nested: { n: 1 } } }, defaultVariant: 'v' });
    const value = evaluate(objectFlag, 'object', {}).value as { nested: { n: number } };
    expect(() => {
      value.nested.n = 2;
    }).toThrow(TypeError);
  });

  describe('$flagd properties', () => {
    const echo = { variants: { 'my-flag': 'key', [String(NOW)]: 'now', other: 'other' }, defaultVariant: 'other' };

    it('exposes the flag key as $flagd.flagKey, overriding what the caller sent', () => {
      const compiled = flag({ ...echo, targeting: { var: '$flagd.flagKey' } });
      expect(evaluate(compiled, 'string', '', { $flagd: { flagKey: 'other' } }).variant).toBe('my-flag');
    });

    it('exposes the injected clock as $flagd.timestamp, overriding what the caller sent', () => {
      const compiled = flag({ ...echo, targeting: { var: '$flagd.timestamp' } });
      expect(evaluate(compiled, 'string', '', { $flagd: { timestamp: 'other' } }).variant).toBe(String(NOW));
    });

    it('shows the whole $flagd object to a rule that reads it through a computed path', () => {
      const compiled = flag({
        variants: { [`my-flag@${NOW}`]: 'both' },
        defaultVariant: null,
        targeting: { cat: [{ var: '$flagd.flagKey' }, '@', { var: { cat: ['$flagd', '.timestamp'] } }] },
      });
      expect(evaluate(compiled, 'string', '', { $flagd: 'forged' }).value).toBe('both');
    });

    it("leaves the caller's context unchanged", () => {
      const context = { $flagd: { flagKey: 'other' }, email: 'a@example.com' };
      evaluate(flag({ ...echo, targeting: { var: '$flagd.timestamp' } }), 'string', '', context);
      expect(context).toEqual({ $flagd: { flagKey: 'other' }, email: 'a@example.com' });
    });

    it('keeps a context\'s own "__proto__" key as data when it injects $flagd', () => {
      const context = JSON.parse('{"__proto__": {"tier": "gold"}, "tier": "silver"}') as Record<string, unknown>;
      const compiled = flag({
        variants: { silver: 'silver', gold: 'gold' },
        defaultVariant: null,
        targeting: { if: [{ var: '$flagd.timestamp' }, { var: 'tier' }] },
      });
      expect(evaluate(compiled, 'string', '', context).value).toBe('silver');
      expect(
        evaluate(compiled, 'string', '', JSON.parse('{"__proto__": {"tier": "gold"}}') as Record<string, unknown>)
          .reason,
      ).toBe('DEFAULT');
    });

    it('shows the targeting key to rules', () => {
      const compiled = flag({ targeting: { if: [{ '==': [{ var: 'targetingKey' }, 'user-1'] }, 'on', 'off'] } });
      expect(evaluate(compiled, 'boolean', false, { targetingKey: 'user-1' }).value).toBe(true);
    });
  });
});
