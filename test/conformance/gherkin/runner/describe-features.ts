import * as path from 'node:path';
import { describe, it } from 'vitest';
import { loadFeatureFile } from './feature-file.js';
import type { FeatureFile, ScenarioCase } from './feature-file.js';
import type { StepRegistry } from './step-registry.js';
import { selectScenario } from './tag-filter.js';
import type { TagFilter } from './tag-filter.js';

export interface FeatureSuite<W> {
  readonly featureFiles: readonly string[];
  readonly filter: TagFilter;
  /** Whole feature files not run, by file name, with the reason; their scenarios are listed as skipped. */
  readonly excludedFeatures?: Readonly<Record<string, string>>;
  /** Single scenarios not run, by title without its `(line n)`, with the reason; for a client's own limit no tag singles out. */
  readonly excludedScenarios?: Readonly<Record<string, string>>;
  readonly steps: StepRegistry<W>;
  readonly createWorld: () => W;
  /** Runs after every scenario, passed or failed, to close providers and remove temp files. */
  readonly disposeWorld: (world: W) => Promise<void>;
}

/**
 * Registers one vitest `describe` per feature file and one `it` per scenario. A scenario left out by a
 * tag or a feature exclusion is an `it.skip` whose title gives the reason; a step no definition matches
 * fails its scenario with the step text.
 */
export function describeFeatures<W>(suite: FeatureSuite<W>): void {
  for (const filePath of suite.featureFiles) {
    const fileName = path.basename(filePath);
    let feature: FeatureFile;
    try {
      feature = loadFeatureFile(filePath);
    } catch (error) {
      describe(fileName, () => {
        it('parses', () => {
          throw error;
        });
      });
      continue;
    }
    const featureReason = suite.excludedFeatures?.[fileName];
    describe(`${feature.name} (${fileName})`, () => {
      for (const scenario of feature.scenarios) {
        const selection = featureReason === undefined ? selectScenario(scenario.tags, suite.filter) : undefined;
        const reason =
          featureReason ??
          (selection?.run === false ? selection.reason : undefined) ??
          suite.excludedScenarios?.[scenario.title.replace(/ \(line \d+\)$/, '')];
        if (reason === undefined) {
          it(scenario.title, () => runScenario(scenario, suite));
        } else {
          it.skip(`${scenario.title} — not run: ${reason}`, () => undefined);
        }
      }
    });
  }
}

/** Runs a scenario's steps in order on a fresh world, disposing of the world whatever happens. */
export async function runScenario<W>(
  scenario: ScenarioCase,
  suite: Pick<FeatureSuite<W>, 'steps' | 'createWorld' | 'disposeWorld'>,
): Promise<void> {
  const world = suite.createWorld();
  try {
    for (const step of scenario.steps) {
      await runStep(step.text, step.dataTable, world, suite.steps);
    }
  } finally {
    await suite.disposeWorld(world);
  }
}

async function runStep<W>(
  text: string,
  dataTable: ScenarioCase['steps'][number]['dataTable'],
  world: W,
  steps: StepRegistry<W>,
): Promise<void> {
  const match = steps.match(text);
  if (match.kind === 'undefined') throw new Error(`Undefined step: "${text}"`);
  if (match.kind === 'ambiguous') {
    throw new Error(`Ambiguous step: "${text}" matches ${match.patterns.join(' and ')}`);
  }
  try {
    await match.handler(world, match.args, dataTable);
  } catch (error) {
    // Prefix the step so a failure names it; the error object is kept so vitest still shows its diff.
    if (error instanceof Error) error.message = `Step "${text}" failed: ${error.message}`;
    throw error;
  }
}
