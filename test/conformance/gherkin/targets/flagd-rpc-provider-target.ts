import { FlagdProvider } from '@openfeature/flagd-provider';
import { silentLogger } from './provider-target.js';
import { TESTBED_CONNECTION, type SyncProviderTarget } from './sync-provider-target.js';

/** The official `@openfeature/flagd-provider` in rpc mode, evaluating on our server's evaluation port. */
export const flagdRpcProviderTarget: SyncProviderTarget = {
  name: '@openfeature/flagd-provider (rpc, evaluation)',
  connectsTo: 'evaluation',
  excludedScenarios: {
    'Stale and Error stage':
      'the provider (0.16) turns its cache off while its channel is not READY, so during an outage it answers ERROR, not CACHED',
  },
  createProvider: ({ host, port, selector, caCertPath, deadlineMs, cache }) =>
    new FlagdProvider(
      {
        resolverType: 'rpc',
        host,
        port,
        ...(selector === undefined ? {} : { selector }),
        ...(caCertPath === undefined ? {} : { tls: true, certPath: caCertPath }),
        ...(cache === 'lru' || cache === 'disabled' ? { cache } : {}),
        deadlineMs: deadlineMs ?? TESTBED_CONNECTION.deadlineMs,
        retryGracePeriod: TESTBED_CONNECTION.retryGracePeriodSeconds,
        retryBackoffMs: TESTBED_CONNECTION.retryBackoffMs,
        retryBackoffMaxMs: TESTBED_CONNECTION.retryBackoffMaxMs,
      },
      silentLogger,
    ),
};
