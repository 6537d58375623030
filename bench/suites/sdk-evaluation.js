import { FlagdProvider } from '@openfeature/flagd-provider';
import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { GenesisProvider } from '../../dist/index.js';
import { CONTEXT_COUNT, createContexts } from '../fixtures/contexts.js';
import { createScenarioDocument } from '../fixtures/flag-documents.js';
import { loopAwaitedResolve, loopClient } from '../harness/evaluation-loops.js';
import { silentLogger } from '../harness/implementations.js';
import { measureSideBySide } from '../harness/measure.js';
import { createTempFlagFile } from '../harness/temp-flag-file.js';

const ON_OFF = { on: true, off: false };
const DOMAINS = ['inMemory', 'genesis', 'flagd'];
const FLAGS = [
  { label: 'static flag', key: 'static-flag' },
  { label: '`ends_with` targeting', key: 'email-domain' },
];

/** The SDK's floor: the same two flags in `InMemoryProvider`, the `ends_with` rule as a function. */
function inMemoryFlags() {
  return {
    'static-flag': { variants: ON_OFF, defaultVariant: 'on', disabled: false },
    'email-domain': {
      variants: ON_OFF,
      defaultVariant: 'off',
      disabled: false,
      contextEvaluator: (context) =>
        typeof context.email === 'string' && context.email.endsWith('@example.com') ? 'on' : 'off',
    },
  };
}

/** Ours and the official flagd provider both in file mode over the same file; the floor in memory. */
function createProviders(path) {
  return {
    inMemory: new InMemoryProvider(inMemoryFlags()),
    genesis: new GenesisProvider({ path, envOverrides: false, logger: silentLogger }),
    flagd: new FlagdProvider({ resolverType: 'in-process', offlineFlagSourcePath: path }, silentLogger),
  };
}

/**
 * Two groups per flag: `client.getBooleanValue` through the OpenFeature SDK, one domain per
 * provider, and each provider's own `resolveBooleanEvaluation` awaited without the SDK. The SDK's
 * work is the same for every provider, so the second group isolates what each provider adds.
 */
function flagGroups(flag, providers, contexts) {
  const keys = Array.from({ length: CONTEXT_COUNT }, () => flag.key);
  const throughSdk = DOMAINS.map((domain) => {
    const client = OpenFeature.getClient(domain);
    return { name: `${flag.label}|sdk|${domain}`, run: (n) => loopClient(client, keys, false, contexts, n) };
  });
  const alone = DOMAINS.map((domain) => ({
    name: `${flag.label}|alone|${domain}`,
    run: (n) => loopAwaitedResolve(providers[domain], keys, false, contexts, n),
  }));
  return [throughSdk, alone];
}

function pick(results, prefix) {
  return Object.fromEntries(DOMAINS.map((domain) => [domain, results.get(`${prefix}|${domain}`)]));
}

export async function runSdkEvaluation(options) {
  const file = await createTempFlagFile(createScenarioDocument(Math.floor(Date.now() / 1000)));
  try {
    const providers = createProviders(file.path);
    await Promise.all(DOMAINS.map((domain) => OpenFeature.setProviderAndWait(domain, providers[domain])));
    const contexts = createContexts();
    const groups = FLAGS.flatMap((flag) => flagGroups(flag, providers, contexts));
    const enabled = new Map();
    for (const benchCase of groups.flat()) enabled.set(benchCase.name, await benchCase.run(CONTEXT_COUNT));
    const results = await measureSideBySide(groups, options);
    return FLAGS.map(({ label }) => ({
      label,
      // How many of the 1,024 contexts each provider answers `true`: the same count on every side.
      enabledCounts: DOMAINS.map((domain) => enabled.get(`${label}|sdk|${domain}`)),
      sdk: pick(results, `${label}|sdk`),
      alone: pick(results, `${label}|alone`),
    }));
  } finally {
    await OpenFeature.close();
    await file.remove();
  }
}
