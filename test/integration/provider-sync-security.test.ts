import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GenesisProvider } from '../../src/provider/genesis-provider.js';
import type { GenesisSyncOptions } from '../../src/provider/sync-options.js';
import { makeTempDir, ProviderHarness, RecordingLogger, removeDir } from './provider-harness.js';
import { selfSignedCertificate, serveFlags, syncTo, writeBooleanFlags } from './provider-sync-harness.js';

let directory: string;
let flagFile: string;
let certificate: { readonly certPath: string; readonly keyPath: string };
const cleanups: (() => unknown)[] = [];
beforeAll(async () => {
  directory = await makeTempDir();
  flagFile = await writeBooleanFlags(directory, 'flags.json', { banner: true });
  certificate = selfSignedCertificate(directory);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await OpenFeature.clearProviders();
});
afterAll(() => removeDir(directory));

/** Initialises a provider directly and returns how initialisation ended. */
async function initialisation(
  sync: GenesisSyncOptions,
  environment: Record<string, string> = {},
): Promise<Error | undefined> {
  const provider = new GenesisProvider({ sync, environment, logger: new RecordingLogger() });
  cleanups.push(() => provider.onClose());
  try {
    await provider.initialize();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

describe('GenesisProvider against a TLS sync server', () => {
  it('connects when it trusts the certificate', async () => {
    const server = await serveFlags(cleanups, {
      files: [flagFile],
      tlsCertPath: certificate.certPath,
      tlsKeyPath: certificate.keyPath,
    });
    const harness = new ProviderHarness({
      sync: syncTo(server.syncPort, { tls: true, caCertPath: certificate.certPath }),
    });
    await harness.start();
    expect(await harness.client.getBooleanValue('banner', false)).toBe(true);
  });

  it('refuses a certificate no trusted CA signed', async () => {
    const server = await serveFlags(cleanups, {
      files: [flagFile],
      tlsCertPath: certificate.certPath,
      tlsKeyPath: certificate.keyPath,
    });
    const failure = await initialisation(syncTo(server.syncPort, { tls: true }));
    expect(failure?.message).toContain(`Cannot reach flag sync server 127.0.0.1:${server.syncPort}`);
  });

  it('cannot talk in plain text to a TLS server', async () => {
    const server = await serveFlags(cleanups, {
      files: [flagFile],
      tlsCertPath: certificate.certPath,
      tlsKeyPath: certificate.keyPath,
    });
    expect(await initialisation(syncTo(server.syncPort))).toBeInstanceOf(Error);
  });

  it('names the CA file when it is missing', async () => {
    const missing = path.join(directory, 'missing-ca.pem');
    expect((await initialisation(syncTo(1, { tls: true, caCertPath: missing })))?.message).toBe(
      `File not found: ${missing}`,
    );
  });
});

describe('GenesisProvider against a token-protected sync server', () => {
  async function protectedServer(): Promise<number> {
    const tokenFile = path.join(directory, 'token');
    await writeFile(tokenFile, 's3cret\n');
    return (await serveFlags(cleanups, { files: [flagFile], tokenFile })).syncPort;
  }

  it('connects with the right token', async () => {
    const harness = new ProviderHarness({ sync: syncTo(await protectedServer(), { token: 's3cret' }) });
    await harness.start();
    expect(await harness.client.getBooleanValue('banner', false)).toBe(true);
  });

  it('takes the token from GENESIS_FLAGS_SYNC_TOKEN', async () => {
    const port = await protectedServer();
    const harness = new ProviderHarness({
      environment: { FLAGD_HOST: '127.0.0.1', FLAGD_SYNC_PORT: String(port), GENESIS_FLAGS_SYNC_TOKEN: 's3cret' },
    });
    await harness.start();
    expect(await harness.client.getBooleanValue('banner', false)).toBe(true);
  });

  it.each([
    ['a wrong token', { token: 'guess' }],
    ['no token', {}],
  ])('is refused with %s, saying UNAUTHENTICATED', async (_name, extra) => {
    const failure = await initialisation(syncTo(await protectedServer(), extra));
    expect(failure?.message).toMatch(/UNAUTHENTICATED/);
  });

  it('goes FATAL without retrying when the refusal is listed in fatalStatusCodes', async () => {
    const port = await protectedServer();
    const logger = new RecordingLogger();
    const provider = new GenesisProvider({
      sync: syncTo(port, { token: 'guess', fatalStatusCodes: ['UNAUTHENTICATED'] }),
      environment: {},
      logger,
    });
    const domain = 'fatal-status-codes';
    const client = OpenFeature.getClient(domain);
    const failure = await OpenFeature.setProviderAndWait(domain, provider).then(
      () => undefined,
      (error: unknown) => error as Error & { code?: string },
    );
    expect(failure?.code).toBe('PROVIDER_FATAL');
    expect(failure?.message).toBe(
      `Flag sync server 127.0.0.1:${port} refused the subscription with UNAUTHENTICATED (Invalid bearer token); ` +
        'UNAUTHENTICATED is in fatalStatusCodes, so the provider stops retrying',
    );
    expect(client.providerStatus).toBe('FATAL');
    const details = await client.getBooleanDetails('banner', false);
    expect(details).toMatchObject({ value: false, errorCode: 'PROVIDER_FATAL' });
  });

  it('reads FLAGD_FATAL_STATUS_CODES as the official flagd providers do', async () => {
    const port = await protectedServer();
    const failure = await initialisation(syncTo(port, { token: 'guess' }), {
      FLAGD_FATAL_STATUS_CODES: 'PERMISSION_DENIED, UNAUTHENTICATED',
    });
    expect(failure?.name).toBe('ProviderFatalError');
  });

  it('keeps retrying a refusal that is not listed, as before', async () => {
    const failure = await initialisation(
      syncTo(await protectedServer(), { token: 'guess', fatalStatusCodes: ['PERMISSION_DENIED'] }),
    );
    expect(failure?.name).toBe('Error');
    expect(failure?.message).toMatch(/UNAUTHENTICATED/);
  });
});
