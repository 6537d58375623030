import type { ProviderTarget } from '../targets/provider-target.js';
import type { ScenarioFlagFiles } from '../testbed/scenario-flag-files.js';
import { SdkClientWorld } from './sdk-client-world.js';

export { PROVIDER_EVENTS, sleep } from './sdk-client-world.js';
export type { EventKind, RecordedEvent } from './sdk-client-world.js';

/** Scenario state for the provider suites from files: each scenario has its own flag files. */
export class ProviderWorld extends SdkClientWorld {
  constructor(
    readonly target: ProviderTarget,
    readonly files: ScenarioFlagFiles,
  ) {
    super();
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await this.files.dispose();
  }
}
