import { describe, expect, it } from 'vitest';
import { readGrpcSyncEnvironment } from '../../../../src/flagd/sources/grpc-sync-environment.js';

describe('readGrpcSyncEnvironment', () => {
  it('reads the official flagd provider’s variables, FLAGD_SYNC_PORT winning over FLAGD_PORT', () => {
    const read = readGrpcSyncEnvironment({
      FLAGD_HOST: 'flags.internal',
      FLAGD_PORT: '8013',
      FLAGD_SYNC_PORT: '9015',
      FLAGD_TLS: 'true',
      FLAGD_SERVER_CERT_PATH: '/ca.pem',
      FLAGD_SOURCE_SELECTOR: 'flagSetId=genesis',
      FLAGD_RETRY_GRACE_PERIOD: '7',
      FLAGD_RETRY_BACKOFF_MAX_MS: '9000',
      FLAGD_KEEP_ALIVE_TIME_MS: '60000',
    });
    expect(read).toEqual({
      options: {
        host: 'flags.internal',
        port: 9015,
        tls: true,
        caCertPath: '/ca.pem',
        selector: 'flagSetId=genesis',
        retryGracePeriodMs: 7_000,
        maxBackoffMs: 9_000,
        keepAliveTimeMs: 60_000,
      },
      warnings: [],
    });
  });

  it('sets nothing from an empty environment', () => {
    expect(readGrpcSyncEnvironment({})).toEqual({ options: {}, warnings: [] });
  });

  it('warns about an unreadable value by name and leaves the option unset', () => {
    expect(readGrpcSyncEnvironment({ FLAGD_PORT: 'x', FLAGD_TLS: 'yes' })).toEqual({
      options: {},
      warnings: [
        'Ignoring FLAGD_PORT="x": expected a non-negative integer',
        'Ignoring FLAGD_TLS="yes": expected true or false',
      ],
    });
  });
});
