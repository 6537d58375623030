import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlagdProvider } from '@openfeature/flagd-provider';
import {
  OpenFeature,
  ProviderEvents,
  type Client,
  type EvaluationContext,
  type EventDetails,
  type JsonValue,
} from '@openfeature/server-sdk';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GenesisProvider } from '../../src/provider/genesis-provider.js';
import type { RunningFlagServer } from '../../src/server/flag-server.js';
import { startTestFlagServer } from './sync-flag-server.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let directory: string;
let domainCounter = 0;
const cleanups: (() => unknown)[] = [];

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'official-provider-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function copyConfig(name: string): string {
  const target = path.join(directory, name);
  copyFileSync(path.join(repoRoot, 'config', name), target);
  return target;
}

async function serve(file: string): Promise<RunningFlagServer> {
  const server = await startTestFlagServer({ files: [file] });
  cleanups.push(() => server.close());
  return server;
}

/** A client of its own domain, so providers of different tests never meet. */
async function clientWith(provider: ConstructorParameters<typeof FlagdProvider>[0] | GenesisProvider): Promise<Client> {
  const domain = `sync-official-${domainCounter++}`;
  const instance = provider instanceof GenesisProvider ? provider : new FlagdProvider(provider);
  await OpenFeature.setProviderAndWait(domain, instance);
  cleanups.push(() => OpenFeature.clearProviders());
  return OpenFeature.getClient(domain);
}

function officialOptions(
  server: RunningFlagServer,
  extra: object = {},
): ConstructorParameters<typeof FlagdProvider>[0] {
  return { resolverType: 'in-process', host: '127.0.0.1', port: server.syncPort, deadlineMs: 2_000, ...extra };
}

type Detail = {
  value: JsonValue;
  variant?: string | undefined;
  reason?: string | undefined;
  errorCode?: string | undefined;
};

async function evaluate(
  client: Client,
  key: string,
  defaultValue: JsonValue,
  context: EvaluationContext,
): Promise<Detail> {
  const details =
    typeof defaultValue === 'boolean'
      ? await client.getBooleanDetails(key, defaultValue, context)
      : typeof defaultValue === 'string'
        ? await client.getStringDetails(key, defaultValue, context)
        : typeof defaultValue === 'number'
          ? await client.getNumberDetails(key, defaultValue, context)
          : await client.getObjectDetails(key, defaultValue, context);
  return { value: details.value, variant: details.variant, reason: details.reason, errorCode: details.errorCode };
}

/** Each flag with a default of its own type, read from the flagd document the server itself sends. */
function flagsWithDefaults(payload: {
  flags: Record<string, { variants: Record<string, JsonValue> }>;
}): [string, JsonValue][] {
  return Object.entries(payload.flags).map(([key, flag]) => {
    const sample = Object.values(flag.variants)[0] ?? null;
    const defaultValue: JsonValue =
      typeof sample === 'boolean'
        ? false
        : typeof sample === 'string'
          ? '<default>'
          : typeof sample === 'number'
            ? -1
            : {};
    return [key, defaultValue];
  });
}

/** ASCII targeting keys: flagd-core hashes UTF-16 code units, so it agrees with flagd only on ASCII. */
const contexts = fc.sample(
  fc.record(
    {
      targetingKey: fc.string({
        unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_@.'),
        minLength: 1,
        maxLength: 24,
      }),
      region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-south-1', 'canary'),
      email: fc.constantFrom('ann@example.com', 'bob@other.org', ''),
      appVersion: fc.constantFrom('1.0.0', '2.4.0', '2.10.3', 'v3', 'not-a-version'),
      tier: fc.constantFrom('free', 'pro', 'enterprise'),
    },
    { requiredKeys: ['region'] },
  ),
  { numRuns: 1_000, seed: 20_251_018 },
);

describe('the official flagd provider (in-process) against our server', () => {
  it.each(['feature_flags.json', 'flags.flagd.json'])(
    'gets READY and evaluates every flag of config/%s as our provider does, over 1,000 contexts',
    async (name) => {
      const file = copyConfig(name);
      const server = await serve(file);
      const official = await clientWith(officialOptions(server));
      const ours = await clientWith(new GenesisProvider({ path: file, envOverrides: false }));
      const sent = await fetchPayload(server);
      const flags = flagsWithDefaults(sent);
      expect(flags.length).toBeGreaterThan(0);
      const mismatches: string[] = [];
      for (const context of contexts) {
        for (const [key, defaultValue] of flags) {
          const [theirs, mine] = await Promise.all([
            evaluate(official, key, defaultValue, context),
            evaluate(ours, key, defaultValue, context),
          ]);
          if (JSON.stringify(theirs) !== JSON.stringify(mine))
            mismatches.push(
              `${key} ${JSON.stringify(context)}: official ${JSON.stringify(theirs)}, ours ${JSON.stringify(mine)}`,
            );
        }
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
    },
    120_000,
  );

  it('receives a file change as CONFIGURATION_CHANGED with the new values', async () => {
    const file = copyConfig('feature_flags.json');
    const server = await serve(file);
    const official = await clientWith(officialOptions(server));
    expect(await official.getBooleanValue('maintenance_mode', true)).toBe(false);
    const changed = nextChange(official);
    const document = JSON.parse(readFileSync(file, 'utf8')) as { flags: Record<string, { enabled: boolean }> };
    const maintenance = document.flags['maintenance_mode'];
    if (maintenance === undefined) throw new Error('maintenance_mode missing from config/feature_flags.json');
    maintenance.enabled = true;
    writeFileSync(file, JSON.stringify(document, null, 2));
    expect((await changed)?.flagsChanged).toContain('maintenance_mode');
    expect(await official.getBooleanValue('maintenance_mode', false)).toBe(true);
  });

  it('sees only the selected flag set, and nothing of a set that does not exist', async () => {
    const server = await serve(copyConfig('flags.flagd.json'));
    const selected = await clientWith(officialOptions(server, { selector: 'flagSetId=example' }));
    const elsewhere = await clientWith(officialOptions(server, { selector: 'flagSetId=nothing-here' }));
    expect((await selected.getBooleanDetails('new-welcome-banner', true)).variant).toBe('off');
    expect((await elsewhere.getBooleanDetails('new-welcome-banner', true)).errorCode).toBe('FLAG_NOT_FOUND');
  });

  it('evaluates with the server’s sync_context merged into every context', async () => {
    const file = path.join(directory, 'context-aware.json');
    const targeting = { if: [{ '==': [{ var: 'injected' }, 'yes'] }, 'internal', 'external'] };
    writeFileSync(
      file,
      JSON.stringify({
        flags: {
          audience: {
            state: 'ENABLED',
            variants: { internal: 'INTERNAL', external: 'EXTERNAL' },
            defaultVariant: 'external',
            targeting,
          },
        },
      }),
    );
    const server = await startTestFlagServer({ files: [file], contextValues: { injected: 'yes' } });
    cleanups.push(() => server.close());
    const official = await clientWith(officialOptions(server));
    expect(await official.getStringValue('audience', 'none')).toBe('INTERNAL');
  });

  it('stays connected while the provider sends keepalive pings every 50 ms', async () => {
    const file = copyConfig('flags.flagd.json');
    const server = await serve(file);
    const official = await clientWith(officialOptions(server, { keepAliveTime: 50 }));
    const trouble: string[] = [];
    official.addHandler(ProviderEvents.Error, () => trouble.push('error'));
    official.addHandler(ProviderEvents.Stale, () => trouble.push('stale'));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const changed = nextChange(official);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"defaultVariant": "off"', '"defaultVariant": "on"'));
    expect((await changed)?.flagsChanged).toContain('new-welcome-banner');
    expect(trouble).toEqual([]);
  });
});

function nextChange(client: Client): Promise<EventDetails | undefined> {
  return new Promise((resolve) =>
    client.addHandler(ProviderEvents.ConfigurationChanged, (details) => resolve(details)),
  );
}

async function fetchPayload(
  server: RunningFlagServer,
): Promise<{ flags: Record<string, { variants: Record<string, JsonValue> }> }> {
  const { createSyncClient, fetchAllFlags } = await import('./sync-test-client.js');
  const client = createSyncClient(server.syncPort);
  try {
    return JSON.parse((await fetchAllFlags(client)).flagConfiguration) as {
      flags: Record<string, { variants: Record<string, JsonValue> }>;
    };
  } finally {
    client.close();
  }
}
