import type { EvaluationContextValue } from '@openfeature/core';
import { expect } from 'vitest';
import type { DataTable } from '../runner/feature-file.js';
import { defineStep } from '../runner/step-registry.js';
import type { StepDefinition } from '../runner/step-registry.js';
import type { EvaluationOutcome, EvaluationWorld, FlagUnderTest } from './evaluation-world.js';
import { parseTypedValue, parseValueType } from './typed-value.js';

/** Steps shared by the evaluator and provider suites: declaring the flag and context, evaluating, asserting. */
export function evaluationSteps<W extends EvaluationWorld>(): StepDefinition<W>[] {
  return [
    defineStep<W>('a {word}-flag with key {string} and a default value {string}', declareFlag),
    defineStep<W>('a {word}-flag with key {string} and a fallback value {string}', declareFlag),
    defineStep<W>('a context containing a key {string}, with type {string} and with value {string}', (world, args) => {
      const [key = '', type = '', value = ''] = args;
      world.context[key] = parseTypedValue(value, parseValueType(type)) as EvaluationContextValue;
    }),
    defineStep<W>('a context containing a targeting key with value {string}', (world, [value = '']) => {
      world.context['targetingKey'] = value;
    }),
    defineStep<W>(
      'a context containing a nested property with outer key {string} and inner key {string}, with value {string}',
      (world, [outer = '', inner = '', value = '']) => {
        const existing = world.context[outer];
        const base = isPlainObject(existing) ? existing : {};
        world.context[outer] = { ...base, [inner]: value };
      },
    ),
    defineStep<W>('the flag was evaluated with details', async (world) => {
      world.outcome = await world.evaluate(declaredFlag(world), { ...world.context });
    }),
    ...outcomeSteps<W>(),
  ];
}

function outcomeSteps<W extends EvaluationWorld>(): StepDefinition<W>[] {
  return [
    defineStep<W>('the resolved details value should be {string}', (world, [expected = '']) => {
      expect(outcomeOf(world).value).toStrictEqual(parseTypedValue(expected, declaredFlag(world).type));
    }),
    // rpc-caching.feature writes object values with unescaped quotes inside the quotes, which {string} refuses.
    defineStep<W>(/^the resolved details value should be "(\{.*[^\\]".*\})"$/, (world, [expected = '']) => {
      expect(outcomeOf(world).value).toStrictEqual(parseTypedValue(expected, declaredFlag(world).type));
    }),
    defineStep<W>('the reason should be {string}', (world, [expected = '']) => {
      expect(outcomeOf(world).reason).toBe(expected);
    }),
    defineStep<W>('the variant should be {string}', (world, [expected = '']) => {
      expect(outcomeOf(world).variant).toBe(expected);
    }),
    defineStep<W>('the error-code should be {string}', (world, [expected = '']) => {
      // An empty cell in the examples means "no error".
      expect(outcomeOf(world).errorCode).toBe(expected === '' ? undefined : expected);
    }),
    defineStep<W>('the resolved metadata should contain', (world, _args, table) => {
      const metadata = outcomeOf(world).flagMetadata;
      for (const row of tableRecords(table)) {
        const key = row['key'] ?? '';
        const expected = parseTypedValue(row['value'] ?? '', parseValueType(row['metadata_type'] ?? ''));
        expect(Object.hasOwn(metadata, key), `metadata has key "${key}"`).toBe(true);
        expect(metadata[key], `metadata "${key}"`).toStrictEqual(expected);
      }
    }),
    defineStep<W>('the resolved metadata is empty', (world) => {
      expect(outcomeOf(world).flagMetadata).toStrictEqual({});
    }),
  ];
}

function declareFlag<W extends EvaluationWorld>(world: W, args: readonly string[]): void {
  const [typeText = '', key = '', defaultText = ''] = args;
  const type = parseValueType(typeText);
  world.flag = { key, type, defaultValue: parseTypedValue(defaultText, type) };
}

function declaredFlag(world: EvaluationWorld): FlagUnderTest {
  if (world.flag === undefined) throw new Error('No flag was declared before this step');
  return world.flag;
}

function outcomeOf(world: EvaluationWorld): EvaluationOutcome {
  if (world.outcome === undefined) throw new Error('The flag was not evaluated before this step');
  return world.outcome;
}

/** Turns a data table whose first row is the header into one record per following row. */
export function tableRecords(table: DataTable | undefined): Record<string, string>[] {
  if (table === undefined) throw new Error('This step needs a data table');
  const [header = [], ...rows] = table;
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}

function isPlainObject(value: unknown): value is Record<string, EvaluationContextValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
