import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFlag } from '../../../src/flagd/compile-flag.js';
import { evaluateFlag } from '../../../src/flagd/evaluate-flag.js';
import { flagTypeOf } from '../../../src/flagd/flag-type-of.js';
import type { EvaluationContext, FlagDefinition, FlagType, FlagValue, JsonValue } from '../../../src/flagd/model.js';

const env = { nowSeconds: () => 1_700_000_000 };
const TYPES: FlagType[] = ['boolean', 'string', 'number', 'object'];
const DEFAULTS: Record<FlagType, FlagValue> = {
  boolean: false,
  string: 'default',
  number: -1,
  object: { default: true },
};

const HUGE_LIST = Array.from({ length: 50_000 }, (_, i) => i);
const DEEP_LIST = nest(20_000);
const ODD_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '$flagd',
  'targetingKey',
  'length',
  '',
  '0',
];
const OPERATORS = [
  'if',
  '?:',
  '==',
  '===',
  '!=',
  '!==',
  '<',
  '<=',
  '>',
  '>=',
  '!',
  '!!',
  'and',
  'or',
  '??',
  'in',
  'cat',
  'substr',
  '+',
  '-',
  '*',
  '/',
  '%',
  'min',
  'max',
  'merge',
  'map',
  'filter',
  'reduce',
  'all',
  'some',
  'none',
  'var',
  'val',
  'missing',
  'missing_some',
  'exists',
  'preserve',
  'keys',
  'length',
  'get',
  'try',
  'throw',
  'pipe',
  'eachKey',
  'fractional',
  'sem_ver',
  'starts_with',
  'ends_with',
];
const ODD_OPERATORS = ['$fractional', '$ref', 'unknown_op', ...ODD_KEYS];
/** json-logic-engine's operators that flagd's targeting language does not have. */
const NOT_FLAGD = new Set([
  '?:',
  '??',
  'val',
  'exists',
  'preserve',
  'keys',
  'length',
  'get',
  'try',
  'throw',
  'pipe',
  'eachKey',
]);
const PATHS = [
  'email',
  'user.name',
  'targetingKey',
  'version',
  'big',
  'deep',
  '$flagd',
  '$flagd.flagKey',
  '$flagd.timestamp',
  '',
  '../x',
  ...ODD_KEYS,
];
const VARIANT_NAMES = ['on', 'off', 'true', 'false', '1', 'missing'];

function nest(depth: number): JsonValue {
  let value: JsonValue = 'bottom';
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Objects rebuilt through JSON.parse, so "__proto__" is an own key, as it is in parsed flag files. */
function parsed<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return arbitrary.map((value) => JSON.parse(JSON.stringify(value) ?? 'null') as T);
}

const scalar = fc.oneof(
  fc.constantFrom<JsonValue>(null, true, false, 0, -1, 1.5, 2 ** 31, 'on', 'off', '1.2.3', 'v2', '', 'a@example.com'),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const { rule } = fc.letrec<{ rule: JsonValue; operation: JsonValue; flagdOperation: JsonValue }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: scalar, weight: 2 },
    { arbitrary: fc.constantFrom<JsonValue>(...VARIANT_NAMES), weight: 3 },
    {
      arbitrary: fc
        .record({ var: fc.oneof(fc.constantFrom(...PATHS), fc.tuple(fc.constantFrom(...PATHS), scalar)) })
        .map((node) => node as JsonValue),
      weight: 3,
    },
    { arbitrary: tie('operation'), weight: 4 },
    { arbitrary: tie('flagdOperation'), weight: 2 },
    { arbitrary: fc.array(tie('rule'), { maxLength: 3 }), weight: 1 },
  ),
  operation: fc
    .oneof(
      {
        arbitrary: fc.tuple(fc.constantFrom(...OPERATORS), fc.array(tie('rule'), { minLength: 1, maxLength: 4 })),
        weight: 8,
      },
      { arbitrary: fc.tuple(fc.constantFrom(...OPERATORS, ...ODD_OPERATORS), tie('rule')), weight: 1 },
      { arbitrary: fc.tuple(fc.constantFrom(...ODD_OPERATORS), fc.array(tie('rule'), { maxLength: 3 })), weight: 1 },
    )
    .map(([operator, args]) => Object.fromEntries([[operator, args]]) as JsonValue),
  flagdOperation: fc.oneof(
    fc
      .tuple(
        fc.option(tie('rule'), { nil: undefined }),
        fc.array(
          fc.tuple(
            fc.oneof(fc.constantFrom(...VARIANT_NAMES), tie('rule')),
            fc.oneof(fc.integer({ min: -10, max: 100 }), tie('rule')),
          ),
          { minLength: 1, maxLength: 4 },
        ),
      )
      .map(([key, buckets]) => ({ fractional: key === undefined ? buckets : [key, ...buckets] }) as JsonValue),
    fc
      .tuple(
        tie('rule'),
        fc.constantFrom('=', '!=', '<', '<=', '>', '>=', '^', '~', '==='),
        fc.constantFrom('1.0.0', 'v2', '1.2', 'x'),
      )
      .map(([version, operator, target]) => ({ sem_ver: [version, operator, target] })),
    fc
      .tuple(fc.constantFrom('starts_with', 'ends_with'), fc.array(tie('rule'), { maxLength: 3 }))
      .map(([operator, args]) => ({ [operator]: args })),
  ),
}));

/** Rules nested well past the depth limit, through operators or plain lists. */
const deepRule = fc
  .tuple(fc.integer({ min: 100, max: 3000 }), fc.constantFrom('!', 'if', 'and', 'cat'))
  .map(([depth, operator]) => {
    let node: JsonValue = { var: 'email' };
    for (let i = 0; i < depth; i++) node = { [operator]: [node] };
    return node;
  });

const variants = parsed(
  fc.oneof(
    fc.dictionary(
      fc.oneof(fc.constantFrom(...VARIANT_NAMES, ...ODD_KEYS), fc.string({ maxLength: 4 })),
      fc.oneof(scalar, fc.jsonValue({ maxDepth: 3 })),
      { maxKeys: 5 },
    ),
    scalar,
  ),
);

/** Any shape at all, as a schema-invalid document may carry (the parser only warns about them). */
const anyDefinition = fc.record(
  {
    state: fc.constantFrom<unknown>('ENABLED', 'DISABLED', 'enabled', undefined, 1),
    variants,
    defaultVariant: fc.constantFrom<unknown>('on', 'off', '__proto__', '', null, undefined, 7),
    targeting: fc.oneof(parsed(rule), deepRule, fc.constantFrom<unknown>({}, [], '', null, undefined, 'on', 5)),
    metadata: fc.oneof(fc.dictionary(fc.constantFrom(...ODD_KEYS, 'owner'), scalar, { maxKeys: 3 }), scalar),
  },
  { requiredKeys: [] },
);

/** A well-formed flag around a random rule, so evaluation reaches the rule. */
const targetedDefinition = fc.record({
  state: fc.constant('ENABLED'),
  variants: fc.constantFrom<Record<string, JsonValue>>(
    { on: true, off: false, true: true, false: false },
    { on: 'on', off: 'off', '1': 'one', missing: 'missing' },
    { on: 1, off: 0, true: 2.5 },
    { on: { a: 1 }, off: [], false: null },
  ),
  defaultVariant: fc.constantFrom<string | null>('on', 'off', null),
  targeting: parsed(rule),
});

const contextValue = fc.oneof(
  scalar,
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant<JsonValue>(HUGE_LIST),
  fc.constant<JsonValue>(DEEP_LIST),
  fc.string({ unit: 'binary', maxLength: 16 }),
);

// fromEntries keeps "__proto__" as an own key, as JSON.parse does, without copying the huge values.
const context = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...PATHS, 'user'), fc.string({ maxLength: 4 })), contextValue), {
    maxLength: 6,
  })
  .map((entries) => Object.fromEntries(entries) as EvaluationContext);

/** Numbers json-logic-engine's `val` and `exists` would climb the scope by, at any depth of the context. */
const climbCount = fc.constantFrom<JsonValue>(1e300, 1e9, 2 ** 31, 1_700_000_000, -1e300, [[1e300]], [[1e9]], [1e300]);
const climbingContext = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...PATHS, 'plan', 'user'), fc.string({ maxLength: 4 })),
      fc.oneof(climbCount, scalar, fc.array(climbCount, { maxLength: 3 }), fc.jsonValue({ maxDepth: 2 })),
    ),
    { maxLength: 6 },
  )
  .map((entries) => Object.fromEntries(entries) as EvaluationContext);

const FLAGD_SET = new Set(OPERATORS.filter((operator) => !NOT_FLAGD.has(operator)));

/** The first operator outside flagd's set that a rule names, in the order the compiler meets them. */
function foreignOperatorOf(node: unknown, depth: number): string | undefined {
  if (typeof node !== 'object' || node === null || depth > 120) return undefined;
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = foreignOperatorOf(item, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const keys = Object.keys(node);
  if (keys.length !== 1) return undefined;
  const operator = keys[0] as string;
  if (!FLAGD_SET.has(operator)) return operator;
  return foreignOperatorOf((node as Record<string, unknown>)[operator], depth + 1);
}

function checkEvaluations(key: string, flagDefinition: unknown, contexts: EvaluationContext[], type: FlagType): void {
  const flag = compileFlag({ key, definition: flagDefinition as FlagDefinition });
  for (const evaluationContext of contexts) {
    const resolution = evaluateFlag(flag, key, type, DEFAULTS[type], evaluationContext, env);
    expect(typeof resolution.reason).toBe('string');
    expect(resolution.flagMetadata).toBeTypeOf('object');
    const isCallersDefault = resolution.value === DEFAULTS[type];
    expect(isCallersDefault || flagTypeOf(resolution.value as JsonValue) === type).toBe(true);
    expect(resolution.errorCode === undefined || isCallersDefault).toBe(true);
  }
}

describe('the evaluator under random input', () => {
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype);
  const key = fc.oneof(fc.constantFrom('flag', ...ODD_KEYS), fc.string({ maxLength: 6 }));
  const contexts = fc.array(context, { minLength: 1, maxLength: 3 });
  const type = fc.constantFrom(...TYPES);

  it("answers random rules over random contexts with a reason, the requested type or the caller's default, never throwing", () => {
    fc.assert(fc.property(key, targetedDefinition, contexts, type, checkEvaluations), { numRuns: 1000 });
  });

  it('answers flags of any shape, however broken, the same way', () => {
    fc.assert(fc.property(key, anyDefinition, contexts, type, checkEvaluations), { numRuns: 500 });
  });

  it('answers PARSE_ERROR, without overflowing the stack, for rules nested far too deep', () => {
    fc.assert(
      fc.property(deepRule, (targeting) => {
        const flag = compileFlag({
          key: 'deep',
          definition: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on', targeting },
        });
        expect(evaluateFlag(flag, 'deep', 'boolean', false, {}, env).errorCode).toBe('PARSE_ERROR');
      }),
      { numRuns: 50 },
    );
  });

  it('answers every evaluation within a budget of 100 ms, whatever numbers the context holds, and refuses non-flagd operators at load', () => {
    // Generous on purpose: it catches a hang or a blow-up (a scope climbed 1e300 times never returned),
    // not a slow machine. Typical evaluations take microseconds (docs/RELIABILITY.md). Counted in CPU
    // time, not wall time, so a worker waiting for a core on a busy machine does not fail it.
    const BUDGET_MS = 100;
    fc.assert(
      fc.property(
        key,
        targetedDefinition,
        fc.array(climbingContext, { minLength: 1, maxLength: 3 }),
        (flagKey, definition, contexts) => {
          const flag = compileFlag({ key: flagKey, definition: definition as FlagDefinition });
          const foreign = foreignOperatorOf(definition.targeting, 0);
          if (foreign !== undefined) expect(flag.parseError).toContain(`unknown operator '${foreign}'`);
          for (const evaluationContext of contexts) {
            const started = process.cpuUsage();
            const resolution = evaluateFlag(flag, flagKey, 'boolean', false, evaluationContext, env);
            const used = process.cpuUsage(started);
            expect((used.user + used.system) / 1000).toBeLessThan(BUDGET_MS);
            expect(typeof resolution.reason).toBe('string');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('leaves every prototype as it was', () => {
    expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getOwnPropertyNames(Array.prototype)).toContain('map');
  });
});
