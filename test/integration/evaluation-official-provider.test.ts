import { mkdtempSync, rmSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FlagdProvider } from '@openfeature/flagd-provider';
import { OpenFeature, ProviderEvents, type Client } from '@openfeature/server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningFlagServer } from '../../src/server/flag-server.js';
import { selfSignedCertificate } from './provider-sync-harness.js';
import { startTestFlagServer } from './sync-flag-server.js';

/** Flags of every type and every way an evaluation can end. */
const FLAGS = {
  flags: {
    'new-checkout': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { if: [{ '==': [{ var: 'tier' }, 'gold'] }, 'on', null] },
      metadata: { owner: 'payments' },
    },
    greeting: { state: 'ENABLED', variants: { hi: 'hello', bye: 'goodbye' }, defaultVariant: 'hi' },
    'retry-limit': { state: 'ENABLED', variants: { low: 3, high: 10 }, defaultVariant: 'high' },
    ratio: { state: 'ENABLED', variants: { half: 0.5 }, defaultVariant: 'half' },
    limits: { state: 'ENABLED', variants: { base: { rps: 100 } }, defaultVariant: 'base' },
    retired: { state: 'DISABLED', variants: { on: true }, defaultVariant: 'on' },
    'no-default': { state: 'ENABLED', variants: { a: 'A' }, defaultVariant: null },
    region: {
      state: 'ENABLED',
      variants: { eu: 'EU', other: 'OTHER' },
      defaultVariant: 'other',
      targeting: { if: [{ '==': [{ var: 'region' }, 'eu'] }, 'eu', null] },
    },
    broken: {
      state: 'ENABLED',
      variants: { on: true },
      defaultVariant: 'on',
      targeting: { no_such_operator: [1] },
    },
  },
  metadata: { flagSetId: 'shop' },
};

let directory: string;
let flagFile: string;
let server: RunningFlagServer;
let domainCounter = 0;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'evaluation-official-'));
  flagFile = path.join(directory, 'flags.json');
  await writeFile(flagFile, JSON.stringify(FLAGS));
  server = await startTestFlagServer({ files: [flagFile], contextValues: { region: 'eu' } });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

type ProviderOptions = ConstructorParameters<typeof FlagdProvider>[0];

/** The official provider in rpc mode on a client of its own domain. */
async function rpcClient(options: ProviderOptions = {}): Promise<Client> {
  const domain = `evaluation-official-${domainCounter++}`;
  const provider = new FlagdProvider({
    resolverType: 'rpc',
    host: '127.0.0.1',
    port: server.port,
    cache: 'disabled',
    deadlineMs: 2_000,
    ...options,
  });
  await OpenFeature.setProviderAndWait(domain, provider);
  cleanups.push(() => OpenFeature.clearProviders());
  return OpenFeature.getClient(domain);
}

async function writeFlags(document: object): Promise<void> {
  await writeFile(`${flagFile}.tmp`, JSON.stringify(document));
  await rename(`${flagFile}.tmp`, flagFile);
}

describe('@openfeature/flagd-provider in rpc mode against genesis-flags serve', () => {
  it('resolves every type with value, variant, reason and metadata', async () => {
    const client = await rpcClient();
    expect(await client.getBooleanDetails('new-checkout', true, { tier: 'gold' })).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      flagMetadata: { owner: 'payments', flagSetId: 'shop' },
    });
    expect(await client.getStringDetails('greeting', 'x')).toMatchObject({
      value: 'hello',
      variant: 'hi',
      reason: 'STATIC',
    });
    expect(await client.getNumberDetails('retry-limit', 0)).toMatchObject({ value: 10, variant: 'high' });
    expect(await client.getNumberDetails('ratio', 0)).toMatchObject({ value: 0.5, variant: 'half' });
    expect(await client.getObjectDetails('limits', {})).toMatchObject({ value: { rps: 100 }, variant: 'base' });
  });

  it('answers a disabled flag and a flag without default variant with the caller’s default', async () => {
    const client = await rpcClient();
    expect(await client.getBooleanDetails('retired', false)).toMatchObject({ value: false, reason: 'DISABLED' });
    expect(await client.getStringDetails('no-default', 'mine')).toMatchObject({ value: 'mine', reason: 'DEFAULT' });
  });

  it.each([
    ['missing', 'FLAG_NOT_FOUND', 'Flag not found: missing'],
    ['greeting', 'TYPE_MISMATCH', "Flag 'greeting' resolved to a string value, but a boolean was requested"],
    ['broken', 'PARSE_ERROR', undefined],
  ])('maps the failure of %s to %s, with a readable message', async (key, errorCode, message) => {
    const client = await rpcClient();
    const details = await client.getBooleanDetails(key, false);
    expect(details).toMatchObject({ value: false, reason: 'ERROR', errorCode });
    if (message !== undefined) expect(details.errorMessage).toBe(message);
  });

  it('merges the server’s static context values into every evaluation', async () => {
    const client = await rpcClient();
    expect(await client.getStringValue('region', 'x')).toBe('EU');
    expect(await client.getStringValue('region', 'x', { region: 'us' })).toBe('EU');
  });

  it('scopes evaluations to the flag set its selector names', async () => {
    const other = await rpcClient({ selector: 'flagSetId=other' });
    expect(await other.getStringDetails('greeting', 'x')).toMatchObject({ errorCode: 'FLAG_NOT_FOUND' });
    const shop = await rpcClient({ selector: 'flagSetId=shop' });
    expect(await shop.getStringValue('greeting', 'x')).toBe('hello');
  });

  it('emits PROVIDER_CONFIGURATION_CHANGED naming the changed flags when the file changes', async () => {
    const client = await rpcClient();
    const changed = new Promise<readonly string[]>((resolve) =>
      client.addHandler(ProviderEvents.ConfigurationChanged, (details) => resolve(details?.flagsChanged ?? [])),
    );
    const { greeting: _removed, ...rest } = FLAGS.flags;
    await writeFlags({
      ...FLAGS,
      flags: {
        ...rest,
        'retry-limit': { ...FLAGS.flags['retry-limit'], defaultVariant: 'low' },
        fresh: FLAGS.flags.ratio,
      },
    });
    try {
      expect([...(await changed)].sort()).toEqual(['fresh', 'greeting', 'retry-limit']);
      expect(await client.getNumberValue('retry-limit', 0)).toBe(3);
    } finally {
      await writeFlags(FLAGS);
    }
  });
});

describe('the evaluation port with TLS and a bearer token', () => {
  it('serves the official provider over TLS', async () => {
    const certificate = selfSignedCertificate(directory);
    const secure = await startTestFlagServer({
      files: [flagFile],
      tlsCertPath: certificate.certPath,
      tlsKeyPath: certificate.keyPath,
    });
    cleanups.push(() => secure.close());
    const client = await rpcClient({ port: secure.port, tls: true, certPath: certificate.certPath });
    expect(await client.getStringValue('greeting', 'x')).toBe('hello');
  });

  it('refuses calls without the token with UNAUTHENTICATED and answers those with it', async () => {
    const tokenFile = path.join(directory, 'token');
    await writeFile(tokenFile, 's3cret\n');
    const guarded = await startTestFlagServer({ files: [flagFile], tokenFile });
    cleanups.push(() => guarded.close());
    const call = (authorization?: string): Promise<Response> =>
      fetch(`http://127.0.0.1:${guarded.port}/flagd.evaluation.v2.Service/ResolveString`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
        body: JSON.stringify({ flagKey: 'greeting' }),
      });
    const refused = await call();
    expect([refused.status, await refused.json()]).toEqual([
      401,
      { code: 'unauthenticated', message: 'Missing bearer token' },
    ]);
    const wrong = await call('Bearer nope');
    expect(await wrong.json()).toEqual({ code: 'unauthenticated', message: 'Invalid bearer token' });
    const allowed = await call('Bearer s3cret');
    expect(await allowed.json()).toMatchObject({ value: 'hello', variant: 'hi' });
  });
});
