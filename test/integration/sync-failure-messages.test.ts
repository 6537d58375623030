import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GrpcSyncSource } from '../../src/flagd/sources/grpc-sync-source.js';
import { FlagSyncHandler } from '../../src/flagd/sync/flag-sync-handler.js';
import { HealthService } from '../../src/flagd/sync/health-service.js';
import { SyncFlagState } from '../../src/flagd/sync/sync-flag-state.js';
import { startSyncServer } from '../../src/flagd/sync/sync-server.js';
import { listenerWith } from '../fixtures/source-listener.js';

/**
 * Issue 10, item 11: a gRPC sync source that cannot connect over TLS said only "connection failed",
 * and a corrupt cache file was reported under the server's name.
 */
const cleanups: (() => unknown)[] = [];
let directory: string;

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'sync-failures-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface Certificate {
  readonly certPath: string;
  readonly keyPath: string;
}

/** A self-signed certificate for `subjectAltName`, valid for a day from now or, with `expired`, through 2 Jan 2020. */
function certificate(name: string, subjectAltName: string, expired = false): Certificate {
  const dir = path.join(directory, name);
  execFileSync('mkdir', ['-p', dir]);
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  const subject = ['-subj', '/CN=flags', '-addext', `subjectAltName=${subjectAltName}`, '-keyout', keyPath];
  if (!expired) {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', ...subject, '-out', certPath],
      {
        stdio: 'ignore',
      },
    );
    return { certPath, keyPath };
  }
  // `openssl req` cannot backdate a certificate; `openssl ca` can, with a minimal configuration.
  const request = path.join(dir, 'req.csr');
  execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', ...subject, '-out', request], {
    stdio: 'ignore',
  });
  writeFileSync(path.join(dir, 'index.txt'), '');
  writeFileSync(path.join(dir, 'serial'), '01\n');
  const config = path.join(dir, 'ca.cnf');
  writeFileSync(
    config,
    [
      '[ca]',
      'default_ca = own',
      '[own]',
      `database = ${path.join(dir, 'index.txt')}`,
      `serial = ${path.join(dir, 'serial')}`,
      `new_certs_dir = ${dir}`,
      'default_md = sha256',
      'policy = any',
      'copy_extensions = copy',
      '[any]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  execFileSync(
    'openssl',
    [
      ...['ca', '-batch', '-config', config, '-selfsign', '-keyfile', keyPath, '-in', request, '-out', certPath],
      ...['-startdate', '20200101000000Z', '-enddate', '20200102000000Z'],
    ],
    { stdio: 'ignore' },
  );
  execFileSync('openssl', ['x509', '-in', certPath, '-out', certPath]);
  return { certPath, keyPath };
}

async function tlsServer(cert: Certificate): Promise<number> {
  const started = await startSyncServer({
    host: '127.0.0.1',
    port: 0,
    tls: cert,
    handler: new FlagSyncHandler({ state: new SyncFlagState([]) }),
    health: new HealthService([]),
  });
  if (!started.ok) throw started.error;
  cleanups.push(() => started.value.close());
  return started.value.port;
}

async function startFailure(options: ConstructorParameters<typeof GrpcSyncSource>[0]): Promise<string | undefined> {
  const source = new GrpcSyncSource({ initialBackoffMs: 20, maxBackoffMs: 100, ...options }, listenerWith({}));
  cleanups.push(() => source.stop());
  return source.start().then(
    () => undefined,
    (error: Error) => error.message,
  );
}

describe('GrpcSyncSource says why a TLS connection failed', () => {
  it('names an untrusted certificate authority', async () => {
    const port = await tlsServer(certificate('untrusted', 'DNS:localhost,IP:127.0.0.1'));
    expect(await startFailure({ host: '127.0.0.1', port, tls: true })).toBe(
      `Cannot reach flag sync server 127.0.0.1:${port} (TLS: the server's certificate is not signed by a trusted CA (DEPTH_ZERO_SELF_SIGNED_CERT))`,
    );
  });

  it('names a certificate issued for another host', async () => {
    const cert = certificate('other-host', 'DNS:flags.example.com');
    const port = await tlsServer(cert);
    expect(await startFailure({ host: '127.0.0.1', port, tls: true, caCertPath: cert.certPath })).toBe(
      `Cannot reach flag sync server 127.0.0.1:${port} (TLS: the server's certificate does not name the host 127.0.0.1 (ERR_TLS_CERT_ALTNAME_INVALID))`,
    );
  });

  it('names an expired certificate', async () => {
    const cert = certificate('expired', 'DNS:localhost,IP:127.0.0.1', true);
    const port = await tlsServer(cert);
    expect(await startFailure({ host: '127.0.0.1', port, tls: true, caCertPath: cert.certPath })).toBe(
      `Cannot reach flag sync server 127.0.0.1:${port} (TLS: the server's certificate has expired (CERT_HAS_EXPIRED))`,
    );
  });
});

describe('GrpcSyncSource with a corrupt cache file', () => {
  it('names the cache file and the place it breaks, next to why the server could not be reached', async () => {
    const cachePath = path.join(directory, 'flags-cache.json');
    writeFileSync(cachePath, '{"flags": {"checkout": {"state": "ENAB');
    expect(await startFailure({ host: '127.0.0.1', port: 1, cachePath })).toMatch(
      new RegExp(
        `^Cannot reach flag sync server 127\\.0\\.0\\.1:1 \\(.+\\); Corrupt flag cache ${cachePath.replace(/[.]/g, '\\.')}:1:\\d+: `,
      ),
    );
  });
});
