import { FlagdProvider } from '@openfeature/flagd-provider';
import { silentLogger } from './provider-target.js';
import { TESTBED_CONNECTION, type SyncProviderTarget } from './sync-provider-target.js';

/** The official `@openfeature/flagd-provider` in in-process mode, syncing from our server: the compatibility check. */
export const flagdSyncProviderTarget: SyncProviderTarget = {
  name: '@openfeature/flagd-provider (in-process, sync)',
  createProvider: ({ host, port, selector, caCertPath, deadlineMs, fatalStatusCodes }) =>
    new FlagdProvider(
      {
        resolverType: 'in-process',
        host,
        port,
        ...(selector === undefined ? {} : { selector }),
        ...(caCertPath === undefined ? {} : { tls: true, certPath: caCertPath }),
        ...(fatalStatusCodes === undefined ? {} : { fatalStatusCodes: [...fatalStatusCodes] }),
        deadlineMs: deadlineMs ?? TESTBED_CONNECTION.deadlineMs,
        retryGracePeriod: TESTBED_CONNECTION.retryGracePeriodSeconds,
        retryBackoffMs: TESTBED_CONNECTION.retryBackoffMs,
        retryBackoffMaxMs: TESTBED_CONNECTION.retryBackoffMaxMs,
      },
      silentLogger,
    ),
};
