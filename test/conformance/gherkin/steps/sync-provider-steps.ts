import { OpenFeature, ProviderStatus } from '@openfeature/server-sdk';
import { expect } from 'vitest';
import { defineStep } from '../runner/step-registry.js';
import type { StepDefinition } from '../runner/step-registry.js';
import { unusedPort } from '../testbed/fresh-ports.js';
import type { LaunchpadConfigName } from '../testbed/launchpad-config.js';
import { eventSteps } from './event-steps.js';
import type { SyncProviderWorld } from './sync-provider-world.js';

/** The testbed harnesses wait up to 20 s for an event: reconnects after a restart take a few seconds. */
const SYNC_EVENT_TIMEOUT_MS = 20_000;

/** Options the suites pass on; `cache` is the RPC resolver's, which in-process targets ignore. */
const KNOWN_OPTIONS: ReadonlySet<string> = new Set(['selector', 'deadlineMs', 'cache', 'fatalStatusCodes']);

/** The launchpad configuration each kind of provider is started against (`unavailable` gets none). */
const CONFIG_OF_KIND: Readonly<Record<string, LaunchpadConfigName>> = {
  stable: 'default',
  ssl: 'ssl',
  metadata: 'metadata',
  syncpayload: 'sync-payload',
};

export function syncProviderSteps(): StepDefinition<SyncProviderWorld>[] {
  return [
    defineStep<SyncProviderWorld>('an option {string} of type {string} with value {string}', (world, args) => {
      const [name = '', , value = ''] = args;
      if (!KNOWN_OPTIONS.has(name)) throw new Error(`Option "${name}" is not supported by the sync-server suites`);
      world.options.set(name, value);
    }),
    defineStep<SyncProviderWorld>('a {word} flagd provider', (world, [kind = '']) => startProvider(world, kind)),
    defineStep<SyncProviderWorld>('the flag was modified', (world) => world.server.toggleChangingFlag()),
    defineStep<SyncProviderWorld>('the connection is lost for {int}s', (world, [seconds = '0']) =>
      world.server.loseConnectionFor(Number(seconds) * 1000),
    ),
    defineStep<SyncProviderWorld>('the client should be in fatal state', (world) => {
      expect(world.requireClient().providerStatus).toBe(ProviderStatus.FATAL);
    }),
    ...eventSteps<SyncProviderWorld>(SYNC_EVENT_TIMEOUT_MS),
  ];
}

async function startProvider(world: SyncProviderWorld, kind: string): Promise<void> {
  if (kind === 'forbidden') {
    const port = await world.startForbiddenServer();
    // Not awaited: initialisation is expected to fail for good, which the error event steps then observe.
    OpenFeature.setProvider(world.domain, world.target.createProvider(world.connectionTo(port, undefined)));
  } else if (kind === 'unavailable') {
    // Not awaited: initialisation is expected to fail, which the error event steps then observe.
    OpenFeature.setProvider(
      world.domain,
      world.target.createProvider(world.connectionTo(await unusedPort(), undefined)),
    );
  } else {
    const config = CONFIG_OF_KIND[kind];
    if (config === undefined)
      throw new Error(
        `A "${kind}" flagd provider is not supported: expected ${[...Object.keys(CONFIG_OF_KIND), 'unavailable', 'forbidden'].join(', ')}`,
      );
    await world.server.start(config);
    await OpenFeature.setProviderAndWait(
      world.domain,
      world.target.createProvider(world.connectionTo(world.targetPort, world.server.caCertPath)),
    );
  }
  world.client = OpenFeature.getClient(world.domain);
}
