import { FlagdProvider } from '@openfeature/flagd-provider';
import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { GenesisProvider } from '../../dist/index.js';
import { CONTEXT_COUNT, createContexts } from '../fixtures/contexts.js';
import { createScenarioDocument } from '../fixtures/flag-documents.js';
import { loopClient } from '../harness/evaluation-loops.js';
import { silentLogger } from '../harness/implementations.js';
import { measureSideBySide } from '../harness/measure.js';
import { createTempFlagFile } from '../harness/temp-flag-file.js';

const ON_OFF = { on: true, off: false };

/** The SDK's floor: the same two flags in `InMemoryProvider`, the `ends_with` rule as a function. */
function inMemoryFlags() {
  return {
    'static-flag': { variants: ON_OFF, defaultVariant: 'on', disabled: false },
    'email-domain': {
      variants: ON_OFF,
      defaultVariant: 'off',
      disabled: false,
      contextEvaluator: (context) => (typeof context.email === 'string' && context.email.endsWith('@example.com') ? 'on' : 'off'),
    },
  };
}

const FLAGS = [
  { label: 'static flag', key: 'static-flag' },
  { label: '`ends_with` targeting', key: 'email-domain' },
];

/**
 * `client.getBooleanValue` through the OpenFeature SDK, one domain per provider: ours and the
 * official flagd provider both in file mode over the same file, and `InMemoryProvider` as the floor.
 */
export async function runSdkEvaluation(options) {
  const file = await createTempFlagFile(createScenarioDocument(Math.floor(Date.now() / 1000)));
  try {
    await Promise.all([
      OpenFeature.setProviderAndWait('in-memory', new InMemoryProvider(inMemoryFlags())),
      OpenFeature.setProviderAndWait('genesis', new GenesisProvider({ path: file.path, envOverrides: false, logger: silentLogger })),
      OpenFeature.setProviderAndWait('flagd', new FlagdProvider({ resolverType: 'in-process', offlineFlagSourcePath: file.path }, silentLogger)),
    ]);
    const contexts = createContexts();
    const providers = ['in-memory', 'genesis', 'flagd'];
    const cases = FLAGS.flatMap(({ label, key }) => {
      const keys = Array.from({ length: CONTEXT_COUNT }, () => key);
      return providers.map((domain) => {
        const client = OpenFeature.getClient(domain);
        return { name: `${label}|${domain}`, run: (n) => loopClient(client, keys, false, contexts, n) };
      });
    });
    const enabled = new Map();
    for (const benchCase of cases) enabled.set(benchCase.name, await benchCase.run(CONTEXT_COUNT));
    const results = await measureSideBySide(cases, options);
    return FLAGS.map(({ label }) => ({
      label,
      // How many of the 1,024 contexts each provider answers `true`: the same count on every side.
      enabledCounts: providers.map((domain) => enabled.get(`${label}|${domain}`)),
      inMemory: results.get(`${label}|in-memory`),
      genesis: results.get(`${label}|genesis`),
      flagd: results.get(`${label}|flagd`),
    }));
  } finally {
    await OpenFeature.close();
    await file.remove();
  }
}
