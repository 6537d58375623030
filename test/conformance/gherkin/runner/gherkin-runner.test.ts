import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from './describe-features.js';
import { loadFeatureFile } from './feature-file.js';
import type { ScenarioCase } from './feature-file.js';
import { createStepRegistry, defineStep } from './step-registry.js';
import { selectScenario } from './tag-filter.js';

const FEATURE = `@suite
Feature: Sample

  Background:
    Given a started thing

  Scenario Outline: Adds <a>
    When <a> is added with label "<label>"
    Then the table holds
      | key | value |
      | a   | <a>   |

    @fast
    Examples: small
      | a | label       |
      | 1 | one         |
      | 2 | two \\| too |

  Scenario: Plain
    Then nothing
`;

const dir = mkdtempSync(path.join(tmpdir(), 'gherkin-runner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sampleFeature(): ReturnType<typeof loadFeatureFile> {
  const filePath = path.join(dir, 'sample.feature');
  writeFileSync(filePath, FEATURE);
  return loadFeatureFile(filePath);
}

describe('loadFeatureFile', () => {
  it('expands each examples row into a scenario titled with its row', () => {
    const titles = sampleFeature().scenarios.map((scenario) => scenario.title);
    expect(titles).toEqual([
      'Adds 1 [small: 1 | one] (line 16)',
      'Adds 2 [small: 2 | two | too] (line 17)',
      'Plain (line 19)',
    ]);
  });

  it('prepends the background and substitutes row values into steps and tables', () => {
    const [first] = sampleFeature().scenarios;
    expect(first?.steps.map((step) => step.text)).toEqual([
      'a started thing',
      '1 is added with label "one"',
      'the table holds',
    ]);
    expect(first?.steps[2]?.dataTable).toEqual([
      ['key', 'value'],
      ['a', '1'],
    ]);
  });

  it('inherits feature tags and adds the tags of the examples block', () => {
    const [first, , plain] = sampleFeature().scenarios;
    expect(first?.tags).toEqual(['@suite', '@fast']);
    expect(plain?.tags).toEqual(['@suite']);
  });

  it('names the file when it cannot be parsed', () => {
    const filePath = path.join(dir, 'broken.feature');
    writeFileSync(
      filePath,
      'Feature: x\n  Scenario: y\n    Given a\n  | not | after a table-less step\nNonsense line\n',
    );
    expect(() => loadFeatureFile(filePath)).toThrow(`Cannot parse feature file: ${filePath}`);
  });
});

describe('createStepRegistry', () => {
  const registry = createStepRegistry<string[]>([
    defineStep('a {word}-flag with value {string}', () => undefined),
    defineStep('count {int}', () => undefined),
    defineStep(/^count (\d+)$/, () => undefined),
  ]);

  it('captures {word} and {string}, unescaping quotes inside the string', () => {
    const match = registry.match('a Object-flag with value "{\\"a\\": 1}"');
    expect(match).toMatchObject({ kind: 'matched', args: ['Object', '{"a": 1}'] });
  });

  it('matches a {string} that is empty', () => {
    expect(registry.match('a String-flag with value ""')).toMatchObject({ kind: 'matched', args: ['String', ''] });
  });

  it('reports a step no pattern matches as undefined', () => {
    expect(registry.match('a String-flag with value unquoted')).toEqual({ kind: 'undefined' });
  });

  it('reports a step two patterns match as ambiguous', () => {
    expect(registry.match('count 3')).toMatchObject({ kind: 'ambiguous', patterns: ['count {int}', '^count (\\d+)$'] });
  });
});

describe('selectScenario', () => {
  const filter = { anyOf: ['@file'], anyOfReason: 'RPC only', excluded: { '@slow': 'takes too long' } };

  it('runs a scenario with a required tag and no excluded one', () => {
    expect(selectScenario(['@file', '@fast'], filter)).toEqual({ run: true });
  });

  it('skips a scenario with none of the required tags, giving the reason', () => {
    expect(selectScenario(['@rpc'], filter)).toEqual({ run: false, reason: 'RPC only' });
  });

  it('skips a scenario with an excluded tag, naming the tag', () => {
    expect(selectScenario(['@file', '@slow'], filter)).toEqual({ run: false, reason: '@slow: takes too long' });
  });
});

describe('runScenario', () => {
  const scenario = (texts: string[]): ScenarioCase => ({
    title: 't',
    tags: [],
    steps: texts.map((text) => ({ text, dataTable: undefined })),
  });
  const steps = createStepRegistry<string[]>([
    defineStep('record {string}', (log, [value = '']) => {
      log.push(value);
    }),
    defineStep('fail', () => {
      throw new Error('boom');
    }),
  ]);

  it('runs the steps in order and disposes of the world', async () => {
    const log: string[] = [];
    await runScenario(scenario(['record "a"', 'record "b"']), {
      steps,
      createWorld: () => log,
      disposeWorld: async (world) => void world.push('disposed'),
    });
    expect(log).toEqual(['a', 'b', 'disposed']);
  });

  it('fails on an undefined step with its text, still disposing of the world', async () => {
    const log: string[] = [];
    const run = runScenario(scenario(['record "a"', 'an unknown step']), {
      steps,
      createWorld: () => log,
      disposeWorld: async (world) => void world.push('disposed'),
    });
    await expect(run).rejects.toThrow('Undefined step: "an unknown step"');
    expect(log).toEqual(['a', 'disposed']);
  });

  it('names the failing step in the error', async () => {
    const run = runScenario(scenario(['fail']), { steps, createWorld: () => [], disposeWorld: async () => undefined });
    await expect(run).rejects.toThrow('Step "fail" failed: boom');
  });
});
