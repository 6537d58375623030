import { FlagdProvider } from '@openfeature/flagd-provider';
import type { ProviderTarget } from './provider-target.js';
import { silentLogger } from './provider-target.js';

/**
 * The official `@openfeature/flagd-provider` in in-process file mode, run as a reference next to ours.
 * Its file source polls (`fs.watchFile`, about 5 s) and reports no error for a malformed file.
 */
export const flagdProviderTarget: ProviderTarget = {
  name: '@openfeature/flagd-provider (in-process, file)',
  createProvider: (flagFile) =>
    new FlagdProvider({ resolverType: 'in-process', offlineFlagSourcePath: flagFile }, silentLogger),
  excluded: {
    '@events': 'reference provider: polls its file every 5 s and emits no error for a malformed file',
    '@reconnect': 'reference provider: emits no error for a malformed file',
  },
};
