import type { Provider } from '@openfeature/server-sdk';

/** Where and how a provider under test connects to the sync server of a scenario. */
export interface SyncConnection {
  readonly host: string;
  readonly port: number;
  readonly selector?: string;
  /** Set when the server speaks TLS: the CA file to trust. */
  readonly caCertPath?: string;
  /** The scenario's `deadlineMs` option: how long connecting may take. */
  readonly deadlineMs?: number;
  /** The scenario's `fatalStatusCodes` option: gRPC status names that end the first connection for good. */
  readonly fatalStatusCodes?: readonly string[];
  /** The scenario's `cache` option (`lru` or `disabled`), which only the RPC resolver reads. */
  readonly cache?: string;
}

/**
 * The testbed harnesses' connection settings (js-sdk-contrib's flagd e2e steps use the same): a
 * 2 s grace period, which the event scenarios' outages of 1, 3 and 5 s are written around (1 s: stale
 * then ready; 3 s: stale, error, ready), and short reconnect backoffs.
 */
export const TESTBED_CONNECTION = Object.freeze({
  retryGracePeriodSeconds: 2,
  retryBackoffMs: 100,
  retryBackoffMaxMs: 1_000,
  deadlineMs: 2_000,
});

/** A provider implementation the provider suites run against our server. */
export interface SyncProviderTarget {
  readonly name: string;
  /** The port it connects to: flagd.sync (in-process resolvers) or flagd.evaluation (RPC resolvers). @default 'sync' */
  readonly connectsTo?: 'sync' | 'evaluation';
  readonly createProvider: (connection: SyncConnection) => Provider;
  /** Tags this target is not run with, beyond the suite's own exclusions, with the reason. */
  readonly excluded?: Readonly<Record<string, string>>;
  /** Scenarios (by title) this target is not run with, with the reason. */
  readonly excludedScenarios?: Readonly<Record<string, string>>;
}
