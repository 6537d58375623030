import { readFile } from 'node:fs/promises';
import type { Result } from '../../errors/result.js';

/** Where a server's PEM certificate chain and private key are. */
export interface TlsPaths {
  readonly certPath: string;
  readonly keyPath: string;
}

/** Reads a server's certificate and key, for gRPC and HTTPS ports alike; a failure names the file. */
export async function readTlsKeyPair(tls: TlsPaths): Promise<Result<{ cert: Buffer; key: Buffer }, Error>> {
  const cert = await readPem(tls.certPath, 'TLS certificate');
  if (!cert.ok) return cert;
  const key = await readPem(tls.keyPath, 'TLS key');
  if (!key.ok) return key;
  return { ok: true, value: { cert: cert.value, key: key.value } };
}

async function readPem(path: string, what: string): Promise<Result<Buffer, Error>> {
  try {
    return { ok: true, value: await readFile(path) };
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `${what} not found: ${path}` : `${what} not readable: ${path}`;
    return { ok: false, error: new Error(message, { cause }) };
  }
}
