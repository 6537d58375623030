import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface TlsMaterial {
  readonly certPath: string;
  readonly keyPath: string;
}

/**
 * A self-signed certificate for `localhost` and 127.0.0.1, made once with openssl in a temp dir: the
 * stand-in for the testbed's `ssl` certificates (its `/ssl/server-cert.pem`, signed by a CA the
 * providers trust through `certPath`). Here the certificate is its own CA.
 */
export class SelfSignedTls {
  #material: TlsMaterial | undefined;
  #dir: string | undefined;

  get material(): TlsMaterial {
    this.#material ??= this.#create();
    return this.#material;
  }

  dispose(): void {
    if (this.#dir !== undefined) rmSync(this.#dir, { recursive: true, force: true });
    this.#dir = undefined;
    this.#material = undefined;
  }

  #create(): TlsMaterial {
    this.#dir = mkdtempSync(path.join(tmpdir(), 'genesis-conformance-tls-'));
    const certPath = path.join(this.#dir, 'server-cert.pem');
    const keyPath = path.join(this.#dir, 'server-key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: 'ignore' },
    );
    return { certPath, keyPath };
  }
}
