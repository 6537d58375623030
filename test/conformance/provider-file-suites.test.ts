import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { OpenFeature } from '@openfeature/server-sdk';
import { describe, it } from 'vitest';
import { describeFeatures } from './gherkin/runner/describe-features.js';
import { createStepRegistry } from './gherkin/runner/step-registry.js';
import { evaluationSteps } from './gherkin/steps/evaluation-steps.js';
import { providerSteps } from './gherkin/steps/provider-steps.js';
import { ProviderWorld } from './gherkin/steps/provider-world.js';
import { flagdProviderTarget } from './gherkin/targets/flagd-provider-target.js';
import { genesisProviderTarget } from './gherkin/targets/genesis-provider-target.js';
import { silentLogger } from './gherkin/targets/provider-target.js';
import type { ProviderTarget } from './gherkin/targets/provider-target.js';
import { combineTestbedFlags } from './gherkin/testbed/combine-testbed-flags.js';
import { PROVIDER_FILE_EXCLUDED_FEATURES, PROVIDER_FILE_EXCLUSIONS } from './gherkin/testbed/exclusions.js';
import { locateTestbed } from './gherkin/testbed/locate-testbed.js';
import { ScenarioFlagFiles } from './gherkin/testbed/scenario-flag-files.js';

const testbed = locateTestbed();
/** Ours must pass; the official flagd provider in file mode runs the same scenarios as a reference. */
const targets: readonly ProviderTarget[] = [genesisProviderTarget, flagdProviderTarget];

if (testbed.found) {
  const { testbedDir } = testbed;
  const featureDir = path.join(testbedDir, 'gherkin');
  const featureFiles = readdirSync(featureDir)
    .filter((name) => name.endsWith('.feature'))
    .sort()
    .map((name) => path.join(featureDir, name));
  const combinedText = once(() => combineTestbedFlags(path.join(testbedDir, 'flags')));
  const steps = createStepRegistry([...providerSteps(), ...evaluationSteps<ProviderWorld>()]);
  // The "unavailable" scenario fails initialisation on purpose; the SDK would log it as an error.
  OpenFeature.setLogger(silentLogger);

  for (const target of targets) {
    describe(`flagd-testbed provider suites from files on ${target.name}`, () => {
      describeFeatures({
        featureFiles,
        filter: {
          ...PROVIDER_FILE_EXCLUSIONS,
          excluded: { ...PROVIDER_FILE_EXCLUSIONS.excluded, ...target.excluded },
        },
        excludedFeatures: PROVIDER_FILE_EXCLUDED_FEATURES,
        steps,
        createWorld: () => new ProviderWorld(target, new ScenarioFlagFiles(testbedDir, combinedText)),
        disposeWorld: (world) => world.dispose(),
      });
    });
  }
} else {
  console.warn(`Skipping the flagd-testbed provider suites: ${testbed.reason}`);
  describe.skip(`flagd-testbed provider suites from files (${testbed.reason})`, () => {
    it('run when the testbed is present', () => undefined);
  });
}

function once(build: () => string): () => string {
  let built: string | undefined;
  return () => (built ??= build());
}
