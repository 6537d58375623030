import { describe, expect, it } from 'vitest';
import { resolveServeConfig } from '../../../src/server/serve-config.js';

describe('resolveServeConfig', () => {
  it('gives flagd’s ports and a loopback bind by default', () => {
    const resolved = resolveServeConfig({}, {});
    expect(resolved).toMatchObject({ ok: true, warnings: [] });
    expect(resolved.ok && resolved.value).toMatchObject({
      files: ['config/feature_flags.json'],
      host: '127.0.0.1',
      port: 8013,
      syncPort: 8015,
      ofrepPort: 8016,
      managementPort: 8014,
      tls: undefined,
      corsOrigins: ['*'],
      contextFromHeaders: {},
      maxRequestBodyBytes: 1_000_000,
    });
  });

  it('reads flagd’s variables, FLAGD_PORT as the evaluation port as in flagd', () => {
    const resolved = resolveServeConfig(
      {},
      {
        FLAGD_SYNC_PORT: '9015',
        FLAGD_PORT: '9013',
        FLAGD_MANAGEMENT_PORT: '9014',
        FLAGD_SERVER_CERT_PATH: 'c.pem',
        FLAGD_SERVER_KEY_PATH: 'k.pem',
        FLAGD_URI: 'file:a.json,b.yaml',
        FLAGD_CONTEXT_VALUE: 'env=prod,zone=a',
        FLAGD_DISABLE_SYNC_METADATA: 'true',
        FLAGD_OFREP_PORT: '9016',
        FLAGD_CORS_ORIGIN: 'https://a.example, https://b.example',
        FLAGD_CONTEXT_FROM_HEADER: 'X-User-Tier=tier',
        FLAGD_MAX_REQUEST_BODY: '2048',
      },
    );
    expect(resolved.ok && resolved.value).toMatchObject({
      port: 9013,
      syncPort: 9015,
      ofrepPort: 9016,
      corsOrigins: ['https://a.example', 'https://b.example'],
      contextFromHeaders: { 'x-user-tier': 'tier' },
      maxRequestBodyBytes: 2048,
      managementPort: 9014,
      tls: { certPath: 'c.pem', keyPath: 'k.pem' },
      files: ['a.json', 'b.yaml'],
      contextValues: { env: 'prod', zone: 'a' },
      disableSyncMetadata: true,
    });
  });

  it('takes FLAGD_PORT as the evaluation port only, as flagd does', () => {
    const resolved = resolveServeConfig({}, { FLAGD_PORT: '7000' });
    expect(resolved.ok && [resolved.value.port, resolved.value.syncPort]).toEqual([7000, 8015]);
  });

  it('rejects two services on one port, naming both', () => {
    expect(resolveServeConfig({ port: 9000, syncPort: 9000 }, {})).toEqual({
      ok: false,
      error: 'port and syncPort are both 9000; each port needs its own',
    });
  });

  it('allows every port to be 0 (each picks its own free one)', () => {
    const resolved = resolveServeConfig({ port: 0, syncPort: 0, ofrepPort: 0, managementPort: 0 }, {});
    expect(resolved.ok).toBe(true);
  });

  it('rejects a negative request body limit', () => {
    expect(resolveServeConfig({ maxRequestBodyBytes: -1 }, {})).toEqual({
      ok: false,
      error: 'Invalid maxRequestBodyBytes=-1: expected a whole number of bytes, 0 for no limit',
    });
  });

  it('lets options (the command line) win over the environment', () => {
    const resolved = resolveServeConfig(
      { syncPort: 1234, files: ['x.json'] },
      { FLAGD_SYNC_PORT: '9015', FLAGD_URI: 'y.json' },
    );
    expect(resolved.ok && resolved.value).toMatchObject({ syncPort: 1234, files: ['x.json'] });
  });

  it.each([
    ['FLAGD_SYNC_PORT', 'eighty', 'Ignoring FLAGD_SYNC_PORT="eighty": expected a port number (0-65535)'],
    ['FLAGD_MANAGEMENT_PORT', '70000', 'Ignoring FLAGD_MANAGEMENT_PORT="70000": expected a port number (0-65535)'],
    [
      'FLAGD_DISABLE_SYNC_METADATA',
      'maybe',
      'Ignoring FLAGD_DISABLE_SYNC_METADATA="maybe": expected a boolean (true/false, 1/0, on/off or yes/no)',
    ],
    [
      'FLAGD_URI',
      'grpc://other:8015',
      'Ignoring FLAGD_URI="grpc://other:8015": expected file paths or file: URIs, comma-separated',
    ],
    [
      'FLAGD_CONTEXT_VALUE',
      'novalue',
      'Ignoring FLAGD_CONTEXT_VALUE="novalue": expected key=value pairs, comma-separated',
    ],
  ])('warns about a bad %s by name and keeps the default', (variable, value, warning) => {
    const resolved = resolveServeConfig({}, { [variable]: value });
    expect(resolved.ok && resolved.warnings).toEqual([warning]);
    expect(resolved.ok && resolved.value.syncPort).toBe(8015);
  });

  it('rejects half a TLS pair', () => {
    expect(resolveServeConfig({ tlsCertPath: 'c.pem' }, {})).toEqual({
      ok: false,
      error: 'TLS needs both a certificate and a key (--server-cert-path and --server-key-path)',
    });
  });

  it('rejects an out-of-range port option', () => {
    expect(resolveServeConfig({ managementPort: 65_536 }, {})).toEqual({
      ok: false,
      error: 'Invalid managementPort=65536: expected a port number (0-65535)',
    });
  });
});
