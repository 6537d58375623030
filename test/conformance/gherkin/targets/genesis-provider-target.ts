import { GenesisProvider } from '../../../../src/provider/genesis-provider.js';
import type { ProviderTarget } from './provider-target.js';
import { silentLogger } from './provider-target.js';

/**
 * Our provider on one flag file. Environment overrides are off and the environment is empty so that
 * no variable of the machine running the tests can change a result.
 */
export const genesisProviderTarget: ProviderTarget = {
  name: 'GenesisProvider (file)',
  createProvider: (flagFile) =>
    new GenesisProvider({ path: flagFile, envOverrides: false, environment: {}, logger: silentLogger }),
};
