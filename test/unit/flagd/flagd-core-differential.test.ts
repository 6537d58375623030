import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '@openfeature/core';
import { FlagdCore } from '@openfeature/flagd-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlagStore } from '../../../src/flagd/flag-store.js';
import { presentOrFailInCi } from '../../fixtures/required-in-ci.js';
import type {
  EvaluationContext,
  FlagDefinition,
  FlagEntry,
  FlagMetadata,
  FlagType,
  FlagValue,
  JsonValue,
  NormalizedFlagSet,
} from '../../../src/flagd/model.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const flagsDir = path.join(
  process.env['FLAGD_TESTBED_DIR'] ?? path.resolve(repoRoot, '../shared/spec'),
  'testbed',
  'flags',
);
const flagFiles = existsSync(flagsDir)
  ? readdirSync(flagsDir)
      .filter((name) => name.endsWith('.json'))
      .sort()
  : [];
const hasFlagFiles = presentOrFailInCi(
  flagFiles.length > 0,
  () => `the testbed flag files are missing: none in ${flagsDir}`,
);
if (!hasFlagFiles) console.warn(`Skipping the flagd-core differential test: no testbed flag files in ${flagsDir}`);

const silent: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };
const env = { nowSeconds: () => Math.floor(Date.now() / 1000) };
const DEFAULTS: Record<FlagType, FlagValue> = {
  boolean: false,
  string: 'fallback',
  number: -1,
  object: { fallback: true },
};

interface Document {
  flags: Record<string, FlagDefinition>;
  $evaluators?: Record<string, JsonValue>;
  metadata?: FlagMetadata;
}

/** A test-only stand-in for the parser: `$ref`s resolved on the tree, set metadata merged under each flag's. */
function normalize(document: Document): NormalizedFlagSet {
  const evaluators = document.$evaluators ?? {};
  const entries = Object.entries(document.flags).map(([key, definition]): [string, FlagEntry] => {
    const missing: string[] = [];
    const resolve = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(resolve);
      if (typeof node !== 'object' || node === null) return node;
      const ref = (node as { $ref?: unknown }).$ref;
      if (Object.keys(node).length === 1 && typeof ref === 'string') {
        if (ref in evaluators) return evaluators[ref];
        missing.push(ref);
        return node;
      }
      return Object.fromEntries(Object.entries(node).map(([name, child]) => [name, resolve(child)]));
    };
    const normalized = {
      ...definition,
      targeting: resolve(definition.targeting) as JsonValue,
      metadata: { ...document.metadata, ...definition.metadata },
    };
    const entry =
      missing.length === 0
        ? { key, definition: normalized }
        : { key, definition: normalized, loadError: `Evaluator '${missing[0]}' is not defined` };
    return [key, entry];
  });
  return { flags: new Map(entries), metadata: document.metadata ?? {}, warnings: [] };
}

/**
 * Where flagd (Go), which we follow, and flagd-core disagree: flagd drops a null first
 * argument of `fractional` and buckets by the targeting key; flagd-core answers null.
 */
function divergesFromFlagdCore(flagKey: string, context: EvaluationContext): boolean {
  if (typeof context.targetingKey !== 'string' || context.targetingKey === '') return false;
  if (flagKey === 'fractional-null-bucket-key-flag' || flagKey === 'targeting-null-flag') return true;
  return flagKey === 'fractional-basic-flag' && (context['hashing_input'] ?? null) === null;
}

const ascii = fc.string({ unit: 'grapheme-ascii', maxLength: 12 });
const small = fc.integer({ min: -5, max: 1000 });
const identifier = fc.oneof(fc.constantFrom('alpha', 'beta', 'rc', 'x-y'), fc.nat(20).map(String));
// Versions both implementations read alike: flagd-core's node-semver also accepts forms Go rejects
// (surrounding spaces, "vv1.0.0", leading zeros in partial versions, numbers past 2^53).
const version = fc.oneof(
  fc.constantFrom<JsonValue>(
    '2.0.0',
    '2.1.0',
    '1.9.0',
    '2.0.0-alpha',
    '2.0.0.0',
    '3.0.1',
    '3.1.0',
    '4.0.0',
    'v1.0.0',
    'V1.0.0',
    '1.0',
    '1',
    '1.0.0+other',
    'not-a-version',
    '',
    1,
    2,
    1.2,
    1.1,
    3,
    null,
    true,
  ),
  fc
    .tuple(
      fc.constantFrom('', 'v', 'V'),
      fc.nat(12),
      fc.option(fc.nat(12)),
      fc.option(fc.nat(12)),
      fc.option(identifier),
      fc.option(identifier),
    )
    .map(([prefix, major, minor, patch, pre, build]) => {
      const core = minor === null ? `${major}` : patch === null ? `${major}.${minor}` : `${major}.${minor}.${patch}`;
      return `${prefix}${core}${pre === null ? '' : `-${pre}`}${build === null ? '' : `+${build}`}`;
    }),
);

const context: fc.Arbitrary<EvaluationContext> = fc.record(
  {
    targetingKey: fc.oneof(
      fc.constantFrom(
        '5c3d8535-f81a-4478-a6d3-afaa4d51199e',
        'jon@company.com',
        'jane@company.com',
        'ejOoVL',
        '6LvT0',
        '',
      ),
      ascii,
    ),
    email: fc.oneof(
      fc.constantFrom('ballmer@macrosoft.com', 'jobs@orange.com', 'wozniak@orange.com', 'user@example.com'),
      ascii,
    ),
    user: fc.record(
      { name: fc.oneof(fc.constantFrom('jack', 'queen', 'ten', 'nine', 'seven', 'eight', 'two', '3'), ascii, small) },
      { requiredKeys: [] },
    ),
    version,
    id: fc.oneof(fc.constantFrom('abcdef', 'uvwxyz', 'abcxyz', 'lmnopq', 'xyz3'), ascii, small),
    num: fc.oneof(small, ascii),
    tier: fc.oneof(fc.constantFrom('premium', 'basic'), ascii),
    color: fc.constantFrom('red', 'green', 'blue', 'yellow', ''),
    hashing_input: fc.oneof(ascii, small),
    time: fc.oneof(fc.integer({ min: 0, max: 1_600_000_000 }), fc.integer({ min: 2_000_000_000, max: 2 ** 40 })),
    fn: fc.constantFrom('Sulisław', 'Jan'),
    ln: fc.constantFrom('Świętopełk', 'Kowalski'),
    age: fc.constantFrom(29, 30, '29'),
    customer: fc.constantFrom(false, true, 'false'),
    injectedmetadata: fc.constantFrom('set', 'unset'),
    $flagd: fc.record({ flagKey: ascii, timestamp: small }),
  },
  { requiredKeys: [] },
);

function resolveWithFlagdCore(core: FlagdCore, flagKey: string, type: FlagType, context: EvaluationContext): unknown {
  switch (type) {
    case 'boolean':
      return core.resolveBooleanEvaluation(flagKey, DEFAULTS.boolean as boolean, context, silent);
    case 'string':
      return core.resolveStringEvaluation(flagKey, DEFAULTS.string as string, context, silent);
    case 'number':
      return core.resolveNumberEvaluation(flagKey, DEFAULTS.number as number, context, silent);
    case 'object':
      return core.resolveObjectEvaluation(flagKey, DEFAULTS.object as JsonValue & object, context, silent);
  }
}

function comparable(resolution: unknown): unknown {
  const { value, variant, reason, errorCode, flagMetadata } = resolution as Record<string, unknown>;
  return { value, variant, reason, errorCode, flagMetadata };
}

describe.skipIf(!hasFlagFiles)('agreement with @openfeature/flagd-core on the testbed flags', () => {
  it.each(flagFiles)('resolves every flag of %s as flagd-core does, for random ASCII contexts', (file) => {
    const text = readFileSync(path.join(flagsDir, file), 'utf8');
    const core = new FlagdCore(undefined, silent);
    core.setConfigurations(text);
    const store = new FlagStore();
    store.replace(normalize(JSON.parse(text) as Document));
    const keys = [...store.keys(), 'no-such-flag'];
    fc.assert(
      fc.property(context, (evaluationContext) => {
        for (const flagKey of keys) {
          if (divergesFromFlagdCore(flagKey, evaluationContext)) continue;
          for (const type of ['boolean', 'string', 'number', 'object'] as const) {
            const ours = store.evaluate(flagKey, type, DEFAULTS[type], evaluationContext, env);
            expect(comparable(ours), `${flagKey} as ${type}`).toEqual(
              comparable(resolveWithFlagdCore(core, flagKey, type, evaluationContext)),
            );
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
