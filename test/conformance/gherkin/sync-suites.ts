import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, describe, it, vi } from 'vitest';
import { describeFeatures } from './runner/describe-features.js';
import { createStepRegistry } from './runner/step-registry.js';
import { evaluationSteps } from './steps/evaluation-steps.js';
import { syncProviderSteps } from './steps/sync-provider-steps.js';
import { SyncProviderWorld } from './steps/sync-provider-world.js';
import { silentLogger } from './targets/provider-target.js';
import type { SyncProviderTarget } from './targets/sync-provider-target.js';
import { combineTestbedFlags } from './testbed/combine-testbed-flags.js';
import {
  PROVIDER_RPC_EXCLUDED_FEATURES,
  PROVIDER_RPC_EXCLUDED_SCENARIOS,
  PROVIDER_RPC_EXCLUSIONS,
  PROVIDER_SYNC_EXCLUDED_FEATURES,
  PROVIDER_SYNC_EXCLUSIONS,
} from './testbed/exclusions.js';
import { locateTestbed } from './testbed/locate-testbed.js';
import { TestbedSyncServer } from './testbed/testbed-sync-server.js';
import { SelfSignedTls } from './testbed/tls-material.js';

/**
 * Registers every provider feature of the testbed against our server for one provider target (its sync
 * port for in-process resolvers, its evaluation port for RPC resolvers):
 * each scenario starts its own server with the launchpad configuration it asks for. One test file per
 * target, so that the targets' outage scenarios (pauses of up to 6 s) run in parallel.
 */
export function describeSyncSuites(target: SyncProviderTarget): void {
  // Outage scenarios pause the server for up to 6 s and then wait for reconnects.
  vi.setConfig({ testTimeout: 60_000 });
  const testbed = locateTestbed();
  if (!testbed.found) {
    console.warn(`Skipping the flagd-testbed sync-server suites: ${testbed.reason}`);
    describe.skip(`flagd-testbed provider suites against genesis-flags serve (${testbed.reason})`, () => {
      it('run when the testbed is present', () => undefined);
    });
    return;
  }
  const { testbedDir } = testbed;
  const featureDir = path.join(testbedDir, 'gherkin');
  const featureFiles = readdirSync(featureDir)
    .filter((name) => name.endsWith('.feature'))
    .sort()
    .map((name) => path.join(featureDir, name));
  let combined: string | undefined;
  const combinedText = () => (combined ??= combineTestbedFlags(path.join(testbedDir, 'flags')));
  const tls = new SelfSignedTls();
  afterAll(() => tls.dispose());
  const steps = createStepRegistry([...syncProviderSteps(), ...evaluationSteps<SyncProviderWorld>()]);
  // The "unavailable" scenario fails initialisation on purpose; the SDK would log it as an error.
  OpenFeature.setLogger(silentLogger);

  const rpc = target.connectsTo === 'evaluation';
  const exclusions = rpc ? PROVIDER_RPC_EXCLUSIONS : PROVIDER_SYNC_EXCLUSIONS;
  describe(`flagd-testbed provider suites against genesis-flags serve on ${target.name}`, () => {
    describeFeatures({
      featureFiles,
      filter: { ...exclusions, excluded: { ...exclusions.excluded, ...target.excluded } },
      excludedFeatures: rpc ? PROVIDER_RPC_EXCLUDED_FEATURES : PROVIDER_SYNC_EXCLUDED_FEATURES,
      excludedScenarios: { ...(rpc ? PROVIDER_RPC_EXCLUDED_SCENARIOS : {}), ...target.excludedScenarios },
      steps,
      createWorld: () =>
        new SyncProviderWorld(target, new TestbedSyncServer(testbedDir, combinedText, () => tls.material)),
      disposeWorld: (world) => world.dispose(),
    });
  });
}
