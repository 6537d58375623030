import { GenesisProvider } from '../../../../src/provider/genesis-provider.js';
import { silentLogger } from './provider-target.js';
import { TESTBED_CONNECTION, type SyncProviderTarget } from './sync-provider-target.js';

/**
 * Our provider in sync mode. Environment overrides are off and the environment is empty so that no
 * variable of the machine running the tests can change a result.
 */
export const genesisSyncProviderTarget: SyncProviderTarget = {
  name: 'GenesisProvider (sync)',
  createProvider: ({ host, port, selector, caCertPath, deadlineMs, fatalStatusCodes }) =>
    new GenesisProvider({
      sync: {
        host,
        port,
        ...(selector === undefined ? {} : { selector }),
        ...(caCertPath === undefined ? {} : { tls: true, caCertPath }),
        ...(fatalStatusCodes === undefined ? {} : { fatalStatusCodes }),
        connectTimeoutMs: deadlineMs ?? TESTBED_CONNECTION.deadlineMs,
        retryGracePeriodMs: TESTBED_CONNECTION.retryGracePeriodSeconds * 1_000,
        initialBackoffMs: TESTBED_CONNECTION.retryBackoffMs,
        maxBackoffMs: TESTBED_CONNECTION.retryBackoffMaxMs,
      },
      envOverrides: false,
      environment: {},
      logger: silentLogger,
    }),
};
