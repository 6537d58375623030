import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import type { Feature, GherkinDocument, Pickle, PickleStep, Scenario } from '@cucumber/messages';

/** A data table as written under a step: rows of cell texts, the first row usually the header. */
export type DataTable = readonly (readonly string[])[];

export interface ScenarioStep {
  readonly text: string;
  readonly dataTable: DataTable | undefined;
}

/** One runnable scenario: an outline row expanded, the background prepended, tags inherited. */
export interface ScenarioCase {
  /** Unique within its feature: the scenario name plus, for an outline, its examples row. */
  readonly title: string;
  readonly tags: readonly string[];
  readonly steps: readonly ScenarioStep[];
}

export interface FeatureFile {
  readonly fileName: string;
  readonly name: string;
  readonly scenarios: readonly ScenarioCase[];
}

/**
 * Reads and compiles one `.feature` file. Gherkin's own compiler does the expansion (outlines × examples,
 * backgrounds, tag inheritance from feature, rule, scenario and examples); we only name the results.
 */
export function loadFeatureFile(filePath: string): FeatureFile {
  const fileName = path.basename(filePath);
  const newId = IdGenerator.incrementing();
  const parser = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher());
  let document: GherkinDocument;
  try {
    document = parser.parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot parse feature file: ${filePath}`, { cause: error });
  }
  const rowLabels = labelExampleRows(document.feature);
  const scenarios = compile(document, fileName, newId).map((pickle) => toScenarioCase(pickle, rowLabels));
  return { fileName, name: document.feature?.name ?? fileName, scenarios };
}

function toScenarioCase(pickle: Pickle, rowLabels: ReadonlyMap<string, string>): ScenarioCase {
  const rowId = pickle.astNodeIds[1];
  const rowLabel = rowId === undefined ? undefined : rowLabels.get(rowId);
  const line = pickle.location?.line;
  const where = line === undefined ? '' : ` (line ${line})`;
  return {
    title: rowLabel === undefined ? `${pickle.name}${where}` : `${pickle.name} [${rowLabel}]${where}`,
    tags: pickle.tags.map((tag) => tag.name),
    steps: pickle.steps.map(toScenarioStep),
  };
}

function toScenarioStep(step: PickleStep): ScenarioStep {
  const rows = step.argument?.dataTable?.rows;
  return { text: step.text, dataTable: rows?.map((row) => row.cells.map((cell) => cell.value)) };
}

/** Maps each examples row id to a readable label such as `v2: jack | hearts`. */
function labelExampleRows(feature: Feature | undefined): ReadonlyMap<string, string> {
  const labels = new Map<string, string>();
  for (const scenario of scenariosOf(feature)) {
    for (const examples of scenario.examples) {
      const prefix = examples.name === '' ? '' : `${examples.name}: `;
      for (const row of examples.tableBody) {
        labels.set(row.id, prefix + row.cells.map((cell) => cell.value).join(' | '));
      }
    }
  }
  return labels;
}

function scenariosOf(feature: Feature | undefined): Scenario[] {
  const children = feature?.children ?? [];
  return children.flatMap((child) => {
    const inRule = child.rule?.children.flatMap((ruleChild) => (ruleChild.scenario ? [ruleChild.scenario] : [])) ?? [];
    return child.scenario ? [child.scenario, ...inRule] : inRule;
  });
}
