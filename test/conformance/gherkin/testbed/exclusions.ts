import type { TagFilter } from '../runner/tag-filter.js';

// Reasons are short because they end up in test titles; docs/CONFORMANCE.md explains each in full.
const FRACTIONAL_V1 = 'legacy float bucketing of flagd < 0.15; flagd 0.16 buckets as v2';
const FRACTIONAL_V3 = 'bucketing v3 of testbed 3.9.0, in neither flagd 0.16.1 nor flagd-core 4 (both v2)';

/** Evaluator suites: everything runs except the fractional generations flagd 0.16 does not implement. */
export const EVALUATOR_EXCLUSIONS: TagFilter = {
  excluded: { '@fractional-v1': FRACTIONAL_V1, '@fractional-v3': FRACTIONAL_V3 },
};

/** Provider suites run from files: scenarios for the file or in-process resolver that need no server. */
export const PROVIDER_FILE_EXCLUSIONS: TagFilter = {
  anyOf: ['@file', '@in-process'],
  anyOfReason: 'RPC resolver only',
  excluded: {
    '@fractional-v1': FRACTIONAL_V1,
    '@fractional-v3': FRACTIONAL_V3,
    '@deprecated': 'superseded by @no-default-variant (pre-0.16 FLAG_NOT_FOUND expectation)',
    '@customCert': 'gRPC TLS connection option, no connection in file mode',
    '@unixsocket': 'gRPC unix socket option, no connection in file mode',
    '@targetURI': 'gRPC target URI option, no connection in file mode',
    '@forbidden': 'gRPC fatal status codes, no connection in file mode',
    '@sync': 'sync selector default of the flagd provider config',
    '@grace': 'STALE/grace period of a lost gRPC stream; a file source has none',
  },
};

/** Provider feature files not run from files at all, with the reason. */
export const PROVIDER_FILE_EXCLUDED_FEATURES: Readonly<Record<string, string>> = {
  'config.feature': "the flagd provider's own option object, not GenesisProvider's",
  'contextEnrichment.feature': 'needs the sync context of a flagd sync server',
  'sync-payload.feature': 'needs a flagd sync server (disable-sync-metadata)',
  'rpc-caching.feature': 'RPC resolver cache, no RPC resolver in file mode',
};

/** Provider suites against our sync server: the in-process resolver's scenarios. */
export const PROVIDER_SYNC_EXCLUSIONS: TagFilter = {
  anyOf: ['@in-process'],
  anyOfReason: 'not for the in-process (sync) resolver',
  excluded: {
    '@fractional-v1': FRACTIONAL_V1,
    '@fractional-v3': FRACTIONAL_V3,
    '@deprecated': 'superseded by @no-default-variant (pre-0.16 FLAG_NOT_FOUND expectation)',
    '@unixsocket': 'gRPC over a unix socket; our server and gRPC source speak TCP only',
    '@targetURI': 'an envoy proxy resolving a custom target URI; the testbed runs one in docker',
  },
};

/** Provider feature files not run against the sync server at all, with the reason. */
export const PROVIDER_SYNC_EXCLUDED_FEATURES: Readonly<Record<string, string>> = {
  'config.feature': "the flagd provider's own option object, not GenesisProvider's",
  'rpc-caching.feature': 'the RPC resolver cache; no RPC resolver in sync mode',
};

/**
 * Provider suites against our evaluation port: the RPC resolver's scenarios, plus the metadata and
 * selector scenarios the testbed tags for in-process only, which check what the server answers (flag-set
 * metadata, selections) and so hold for an RPC resolver as well.
 */
export const PROVIDER_RPC_EXCLUSIONS: TagFilter = {
  anyOf: ['@rpc', '@in-process'],
  anyOfReason: 'file mode only',
  excluded: {
    '@fractional-v1': FRACTIONAL_V1,
    '@fractional-v3': FRACTIONAL_V3,
    '@deprecated': 'superseded by @no-default-variant (pre-0.16 FLAG_NOT_FOUND expectation)',
    '@unixsocket': 'gRPC over a unix socket; our server speaks TCP only',
    '@targetURI': 'an envoy proxy resolving a custom target URI; the testbed runs one in docker',
    '@forbidden': "an envoy answering PERMISSION_DENIED, and the flagd provider's fatalStatusCodes option",
  },
};

/** Provider feature files not run against the evaluation port at all, with the reason. */
export const PROVIDER_RPC_EXCLUDED_FEATURES: Readonly<Record<string, string>> = {
  'config.feature': "the flagd provider's own option object, not our server",
  'sync-payload.feature': 'the sync protocol (sync_context, GetMetadata), which an RPC resolver does not use',
};

/** In-process scenarios whose RPC counterpart is a scenario of its own, by title. */
export const PROVIDER_RPC_EXCLUDED_SCENARIOS: Readonly<Record<string, string>> = {
  'Use enriched context on connection error for IN-PROCESS':
    'in-process keeps evaluating during an outage; the RPC scenario next to it expects the default instead',
};
