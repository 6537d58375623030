import { OpenFeature } from '@openfeature/server-sdk';
import { defineStep } from '../runner/step-registry.js';
import type { StepDefinition } from '../runner/step-registry.js';
import { eventSteps } from './event-steps.js';
import { sleep } from './provider-world.js';
import type { ProviderWorld } from './provider-world.js';

/**
 * Options of the flagd provider that have no meaning for a file source; scenarios set them in their
 * background, so they are accepted and ignored. Any other option fails the scenario.
 */
const IGNORED_OPTIONS: Readonly<Record<string, string>> = {
  cache: 'the RPC resolver cache',
  deadlineMs: 'the gRPC call deadline',
};

/** Where the testbed's `metadata` launchpad configuration takes its flags from. */
const METADATA_SOURCE = 'rawflags/selector-flag-combined-metadata.json';

export function providerSteps(): StepDefinition<ProviderWorld>[] {
  return [
    defineStep<ProviderWorld>('an option {string} of type {string} with value {string}', (world, args) => {
      const [name = '', , value = ''] = args;
      if (name !== 'selector' && !Object.hasOwn(IGNORED_OPTIONS, name)) {
        throw new Error(`Option "${name}" has no file-mode equivalent`);
      }
      world.options.set(name, value);
    }),
    defineStep<ProviderWorld>('a {word} flagd provider', (world, [kind = '']) => startProvider(world, kind)),
    defineStep<ProviderWorld>('the flag was modified', (world) => world.files.toggleChangingFlag()),
    defineStep<ProviderWorld>('the connection is lost for {int}s', (world, [seconds = '0']) =>
      loseSource(world, Number(seconds) * 1000),
    ),
    ...eventSteps<ProviderWorld>(),
  ];
}

async function startProvider(world: ProviderWorld, kind: string): Promise<void> {
  const selector = world.options.get('selector');
  switch (kind) {
    case 'stable':
    case 'metadata': {
      const source = await world.files.sourceFor(kind === 'metadata' ? (selector ?? METADATA_SOURCE) : selector);
      await OpenFeature.setProviderAndWait(world.domain, world.target.createProvider(source));
      break;
    }
    case 'unavailable': {
      // Not awaited: initialisation is expected to fail, which the error event steps then observe.
      const source = await world.files.missingSource();
      OpenFeature.setProvider(world.domain, world.target.createProvider(source));
      break;
    }
    default:
      throw new Error(`A "${kind}" flagd provider needs a flagd server; file mode has stable, metadata, unavailable`);
  }
  world.client = OpenFeature.getClient(world.domain);
}

/**
 * File-mode stand-in for flagd going away for a while: the flag file is malformed for the scenario's
 * duration, then its last good content comes back.
 */
async function loseSource(world: ProviderWorld, durationMs: number): Promise<void> {
  await world.files.corruptSource();
  await sleep(durationMs);
  await world.files.restoreSource();
}
