import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FlagdProvider } from '@openfeature/flagd-provider';
import { OpenFeature, ProviderEvents, type Client, type EventDetails } from '@openfeature/server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RecordingLogger, startTestFlagServer } from './sync-flag-server.js';

let directory: string;
const cleanups: (() => unknown)[] = [];

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'sync-cross-file-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const genesis = (flags: Record<string, unknown>) => `${JSON.stringify({ version: '1.0', flags }, null, 2)}\n`;

function writeFlags(name: string, flags: Record<string, unknown>): string {
  const file = path.join(directory, name);
  writeFileSync(file, genesis(flags));
  return file;
}

/** The official flagd provider, in-process, synced from the server: a client that knows nothing of Genesis. */
async function officialClient(syncPort: number, domain: string): Promise<Client> {
  const provider = new FlagdProvider({
    resolverType: 'in-process',
    host: '127.0.0.1',
    port: syncPort,
    deadlineMs: 2_000,
  });
  await OpenFeature.setProviderAndWait(domain, provider);
  cleanups.push(() => OpenFeature.clearProviders());
  return OpenFeature.getClient(domain);
}

function nextChange(client: Client): Promise<readonly string[]> {
  return new Promise((resolve) => {
    const handler = (details?: EventDetails) => {
      client.removeHandler(ProviderEvents.ConfigurationChanged, handler);
      resolve((details?.flagsChanged as string[] | undefined) ?? []);
    };
    client.addHandler(ProviderEvents.ConfigurationChanged, handler);
  });
}

describe('serve: requires across the files it is given', () => {
  it('serves a child whose parent is in the other file, and turns it off when the parent is turned off there', async () => {
    const a = writeFlags('a.json', { orchestration: { enabled: true } });
    const b = writeFlags('b.json', { planner: { enabled: true, requires: ['orchestration'] } });
    const server = await startTestFlagServer({ files: [a, b] });
    cleanups.push(() => server.close());
    expect(server.readiness()).toEqual({ ready: true, reasons: [], stale: [] });
    const client = await officialClient(server.syncPort, 'cross-file-serve');
    expect(await client.getBooleanValue('planner', false)).toBe(true);

    const changed = nextChange(client);
    writeFlags('a.json', { orchestration: { enabled: false } });
    expect([...(await changed)].sort()).toEqual(['orchestration', 'planner']);
    expect(await client.getBooleanValue('orchestration', true)).toBe(false);
    expect(await client.getBooleanValue('planner', true)).toBe(false);
  });

  it('takes the parent from the later file when both files define it', async () => {
    const a = writeFlags('a-both.json', {
      orchestration: { enabled: true },
      planner: { enabled: true, requires: ['orchestration'] },
    });
    const b = writeFlags('b-both.json', { orchestration: { enabled: false } });
    const server = await startTestFlagServer({ files: [a, b] });
    cleanups.push(() => server.close());
    const client = await officialClient(server.syncPort, 'cross-file-later-wins');
    expect(await client.getBooleanValue('planner', true)).toBe(false);
  });

  it('does not serve a set whose child names a parent in none of the files, naming the child, the parent and both files', async () => {
    const a = writeFlags('a-missing.json', { orchestration: { enabled: true } });
    const b = writeFlags('b-missing.json', { planner: { enabled: true, requires: ['orchestraton'] } });
    const logger = new RecordingLogger();
    const server = await startTestFlagServer({ files: [a, b] }, logger);
    cleanups.push(() => server.close());
    expect(server.readiness().ready).toBe(false);
    const expected = `flags.planner.requires[0]  names unknown flag "orchestraton" in any of ${a}, ${b} (did you mean "orchestration"?)`;
    expect(logger.lines.filter((line) => line.startsWith('error ') && line.includes(expected))).toHaveLength(1);
  });
});
