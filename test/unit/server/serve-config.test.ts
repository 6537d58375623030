import { describe, expect, it } from 'vitest';
import { resolveServeConfig, SERVE_DEFAULTS } from '../../../src/server/serve-config.js';

describe('resolveServeConfig', () => {
  it('gives flagd’s ports and a loopback bind by default', () => {
    const resolved = resolveServeConfig({}, {});
    expect(resolved).toMatchObject({ ok: true, warnings: [] });
    expect(resolved.ok && resolved.value).toMatchObject({
      files: ['config/feature_flags.json'],
      host: '127.0.0.1',
      port: 8015,
      managementPort: 8014,
      tls: undefined,
    });
  });

  it('reads flagd’s variables, FLAGD_SYNC_PORT winning over FLAGD_PORT', () => {
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
      },
    );
    expect(resolved.ok && resolved.value).toMatchObject({
      port: 9015,
      managementPort: 9014,
      tls: { certPath: 'c.pem', keyPath: 'k.pem' },
      files: ['a.json', 'b.yaml'],
      contextValues: { env: 'prod', zone: 'a' },
      disableSyncMetadata: true,
    });
  });

  it('accepts FLAGD_PORT alone as the sync port', () => {
    const resolved = resolveServeConfig({}, { FLAGD_PORT: '7000' });
    expect(resolved.ok && resolved.value.port).toBe(7000);
  });

  it('lets options (the command line) win over the environment', () => {
    const resolved = resolveServeConfig(
      { port: 1234, files: ['x.json'] },
      { FLAGD_SYNC_PORT: '9015', FLAGD_URI: 'y.json' },
    );
    expect(resolved.ok && resolved.value).toMatchObject({ port: 1234, files: ['x.json'] });
  });

  it.each([
    ['FLAGD_SYNC_PORT', 'eighty', 'Ignoring FLAGD_SYNC_PORT="eighty": expected a port number'],
    ['FLAGD_MANAGEMENT_PORT', '70000', 'Ignoring FLAGD_MANAGEMENT_PORT="70000": expected a port number'],
    ['FLAGD_DISABLE_SYNC_METADATA', 'maybe', 'Ignoring FLAGD_DISABLE_SYNC_METADATA="maybe": expected true or false'],
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
    expect(resolved.ok && resolved.value.port).toBe(SERVE_DEFAULTS.port);
  });

  it('rejects half a TLS pair', () => {
    expect(resolveServeConfig({ tlsCertPath: 'c.pem' }, {})).toEqual({
      ok: false,
      error: 'TLS needs both a certificate and a key (--tls-cert and --tls-key)',
    });
  });

  it('rejects an out-of-range port option', () => {
    expect(resolveServeConfig({ managementPort: 65_536 }, {})).toEqual({
      ok: false,
      error: 'Invalid managementPort: 65536 (expected 0-65535)',
    });
  });
});
