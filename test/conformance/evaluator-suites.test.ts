import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'vitest';
import { describeFeatures } from './gherkin/runner/describe-features.js';
import { createStepRegistry } from './gherkin/runner/step-registry.js';
import { evaluationSteps } from './gherkin/steps/evaluation-steps.js';
import { EvaluatorWorld, evaluatorSteps } from './gherkin/steps/evaluator-world.js';
import type { EvaluateFlag, EvaluatorTarget } from './gherkin/targets/evaluator-target.js';
import { flagdCoreEvaluator } from './gherkin/targets/flagd-core-evaluator.js';
import { genesisEvaluator } from './gherkin/targets/genesis-evaluator.js';
import { EVALUATOR_EXCLUSIONS } from './gherkin/testbed/exclusions.js';
import { locateTestbed } from './gherkin/testbed/locate-testbed.js';

const testbed = locateTestbed();
/** Ours must pass; the official JS evaluator runs the same scenarios as a reference. */
const targets: readonly EvaluatorTarget[] = [genesisEvaluator, flagdCoreEvaluator];

if (testbed.found) {
  const featureDir = path.join(testbed.testbedDir, 'evaluator', 'gherkin');
  const featureFiles = readdirSync(featureDir)
    .filter((name) => name.endsWith('.feature'))
    .sort()
    .map((name) => path.join(featureDir, name));
  const documentText = readFileSync(path.join(testbed.testbedDir, 'evaluator', 'flags', 'testkit-flags.json'), 'utf8');
  const steps = createStepRegistry([...evaluatorSteps(), ...evaluationSteps<EvaluatorWorld>()]);

  for (const target of targets) {
    describe(`flagd-testbed evaluator suites on ${target.name}`, () => {
      const loadEvaluator = once(() => target.load(documentText));
      describeFeatures({
        featureFiles,
        filter: EVALUATOR_EXCLUSIONS,
        steps,
        createWorld: () => new EvaluatorWorld(loadEvaluator),
        disposeWorld: async () => undefined,
      });
    });
  }
} else {
  console.warn(`Skipping the flagd-testbed evaluator suites: ${testbed.reason}`);
  describe.skip(`flagd-testbed evaluator suites (${testbed.reason})`, () => {
    it('run when the testbed is present', () => undefined);
  });
}

/** The document is parsed once per target; the evaluator is pure, so scenarios can share it. */
function once(load: () => EvaluateFlag): () => EvaluateFlag {
  let loaded: EvaluateFlag | undefined;
  return () => (loaded ??= load());
}
