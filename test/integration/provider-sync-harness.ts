import { execFileSync } from 'node:child_process';
import { writeFile, rename } from 'node:fs/promises';
import * as path from 'node:path';
import type { Client, EvaluationDetails } from '@openfeature/server-sdk';
import type { GenesisSyncOptions } from '../../src/provider/sync-options.js';
import type { RunningFlagServer } from '../../src/server/flag-server.js';
import type { ServeOptions } from '../../src/server/serve-config.js';
import { booleanFlags } from './provider-harness.js';
import { startTestFlagServer } from './sync-flag-server.js';

/** Reconnect and grace settings short enough for an outage to play out within a test. */
export const FAST_RECONNECT: GenesisSyncOptions = Object.freeze({
  initialBackoffMs: 40,
  maxBackoffMs: 200,
  retryGracePeriodMs: 400,
  connectTimeoutMs: 1_000,
});

/** The sync option pointing at a server on loopback, with fast reconnects. */
export function syncTo(port: number, extra: GenesisSyncOptions = {}): GenesisSyncOptions {
  return { host: '127.0.0.1', port, ...FAST_RECONNECT, ...extra };
}

/** Writes boolean flags to `name` in `directory` atomically (temp file + rename), as editors do. */
export async function writeBooleanFlags(
  directory: string,
  name: string,
  values: Readonly<Record<string, boolean>>,
  metadata?: object,
): Promise<string> {
  const file = path.join(directory, name);
  const text =
    metadata === undefined
      ? booleanFlags(values)
      : JSON.stringify({ ...(JSON.parse(booleanFlags(values)) as object), metadata });
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
  return file;
}

/** Our sync server on loopback, registered for cleanup. */
export async function serveFlags(cleanups: (() => unknown)[], options: ServeOptions): Promise<RunningFlagServer> {
  const server = await startTestFlagServer(options);
  cleanups.push(() => server.close());
  return server;
}

/** A self-signed certificate for `localhost` and 127.0.0.1, made with openssl in `directory`. */
export function selfSignedCertificate(directory: string): { readonly certPath: string; readonly keyPath: string } {
  const certPath = path.join(directory, 'server-cert.pem');
  const keyPath = path.join(directory, 'server-key.pem');
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

/**
 * Evaluates a flag back to back until stopped, keeping every answer, so that a test can show that no
 * evaluation failed while something else happened.
 */
export function evaluateContinuously(
  client: Client,
  flagKey: string,
): { stop(): Promise<readonly EvaluationDetails<boolean>[]> } {
  const answers: EvaluationDetails<boolean>[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      answers.push(await client.getBooleanDetails(flagKey, false));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return answers;
    },
  };
}
