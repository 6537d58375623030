import { describe, expect, it } from 'vitest';
import { resolveSyncConfig } from '../../../src/provider/sync-options.js';

describe('resolveSyncConfig', () => {
  it("fills every default, flagd's in-process host and port among them", () => {
    const warnings: string[] = [];
    expect(resolveSyncConfig({}, {}, warnings)).toEqual({
      host: 'localhost',
      port: 8015,
      tls: false,
      providerId: 'genesis-flags',
      connectTimeoutMs: 2_000,
      streamDeadlineMs: 600_000,
      initialBackoffMs: 500,
      maxBackoffMs: 5_000,
      retryGracePeriodMs: 5_000,
      keepAliveTimeMs: 0,
      maxPayloadBytes: 64 * 1024 * 1024,
      fatalStatusCodes: [],
    });
    expect(warnings).toEqual([]);
  });

  it("reads the official flagd providers' variables, the grace period in seconds", () => {
    const environment = {
      FLAGD_HOST: 'flags.internal',
      FLAGD_PORT: '9000',
      FLAGD_TLS: 'true',
      FLAGD_SERVER_CERT_PATH: '/ca.pem',
      FLAGD_SOURCE_SELECTOR: 'flagSetId=checkout',
      FLAGD_RETRY_GRACE_PERIOD: '2',
      FLAGD_RETRY_BACKOFF_MS: '100',
      GENESIS_FLAGS_SYNC_TOKEN: ' secret\n',
      GENESIS_FLAGS_SYNC_CACHE_PATH: '/var/cache/flags.json',
    };
    expect(resolveSyncConfig({}, environment, [])).toMatchObject({
      host: 'flags.internal',
      port: 9000,
      tls: true,
      caCertPath: '/ca.pem',
      selector: 'flagSetId=checkout',
      retryGracePeriodMs: 2_000,
      initialBackoffMs: 100,
      token: 'secret',
      cachePath: '/var/cache/flags.json',
    });
  });

  it('lets FLAGD_SYNC_PORT win over FLAGD_PORT', () => {
    expect(resolveSyncConfig({}, { FLAGD_PORT: '9000', FLAGD_SYNC_PORT: '9001' }, []).port).toBe(9001);
  });

  it('lets each field of the option win over its variable', () => {
    const config = resolveSyncConfig(
      { host: '127.0.0.1', port: 7000, selector: 'a.json' },
      { FLAGD_HOST: 'other', FLAGD_SYNC_PORT: '9001', FLAGD_SOURCE_SELECTOR: 'b.json' },
      [],
    );
    expect(config).toMatchObject({ host: '127.0.0.1', port: 7000, selector: 'a.json' });
  });

  it.each([
    ['port', 0, 'Ignoring sync.port=0: expected a port number (1-65535)', 8015],
    ['port', '8015', 'Ignoring sync.port="8015": expected a port number (1-65535)', 8015],
    ['host', '', 'Ignoring sync.host="": expected a non-empty string', 'localhost'],
    ['retryGracePeriodMs', 1.5, 'Ignoring sync.retryGracePeriodMs=1.5: expected an integer >= 0', 5_000],
    ['tls', 'yes', 'Ignoring sync.tls="yes": expected true or false', false],
  ])('warns about sync.%s = %j by name and falls back to the default', (name, value, warning, fallback) => {
    const warnings: string[] = [];
    const config = resolveSyncConfig({ [name]: value }, {}, warnings);
    expect(warnings).toEqual([warning]);
    expect((config as Record<string, unknown>)[name]).toBe(fallback);
  });

  it('warns about a variable it cannot read, naming it, and about an unknown field', () => {
    const warnings: string[] = [];
    const config = resolveSyncConfig(
      { hots: 'x' } as object,
      { FLAGD_SYNC_PORT: '99999', FLAGD_TLS: 'maybe' },
      warnings,
    );
    expect(config.port).toBe(8015);
    expect(warnings).toEqual([
      'Ignoring FLAGD_SYNC_PORT="99999": expected a port number (1-65535)',
      'Ignoring FLAGD_TLS="maybe": expected a boolean (true/false, 1/0, on/off or yes/no)',
      expect.stringMatching(
        /^Ignoring unknown sync option hots \(did you mean "host"\?\) \(known options: host, port, /,
      ),
    ]);
  });

  it('reads fatalStatusCodes from the option, over FLAGD_FATAL_STATUS_CODES (comma-separated, as flagd reads it)', () => {
    const warnings: string[] = [];
    const environment = { FLAGD_FATAL_STATUS_CODES: 'UNAUTHENTICATED, PERMISSION_DENIED' };
    expect(resolveSyncConfig({}, environment, warnings).fatalStatusCodes).toEqual([
      'UNAUTHENTICATED',
      'PERMISSION_DENIED',
    ]);
    expect(resolveSyncConfig({ fatalStatusCodes: ['NOT_FOUND'] }, environment, warnings).fatalStatusCodes).toEqual([
      'NOT_FOUND',
    ]);
    expect(resolveSyncConfig({}, {}, warnings).fatalStatusCodes).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('warns about a status name gRPC does not have, in the option or the variable, and keeps the next source', () => {
    const warnings: string[] = [];
    const config = resolveSyncConfig(
      { fatalStatusCodes: ['FORBIDDEN'] },
      { FLAGD_FATAL_STATUS_CODES: 'PERMISSION_DENIED,NOPE' },
      warnings,
    );
    expect(config.fatalStatusCodes).toEqual([]);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^Ignoring sync\.fatalStatusCodes=\["FORBIDDEN"\]: expected gRPC status names \(OK, CANCELLED, .*UNAUTHENTICATED\)$/,
      ),
      expect.stringMatching(
        /^Ignoring FLAGD_FATAL_STATUS_CODES="PERMISSION_DENIED,NOPE": expected gRPC status names \(OK, CANCELLED, .*UNAUTHENTICATED\)$/,
      ),
    ]);
  });
});
