import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningFlagServer } from '../../src/server/flag-server.js';
import { RecordingLogger, startTestFlagServer } from './sync-flag-server.js';
import { checkHealth, createSyncClient, fetchAllFlags, flagKeysOf, openSyncStream } from './sync-test-client.js';

let directory: string;
const cleanups: (() => unknown)[] = [];
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'sync-management-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  rmSync(directory, { recursive: true, force: true });
});

function flagFile(name: string, keys: readonly string[]): string {
  const file = path.join(directory, name);
  writeFlags(file, keys);
  return file;
}

function writeFlags(file: string, keys: readonly string[]): void {
  const flags = Object.fromEntries(
    keys.map((key) => [key, { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' }]),
  );
  writeFileSync(file, JSON.stringify({ flags }));
}

async function serve(
  files: string[],
  logger = new RecordingLogger(),
  startupGraceMs?: number,
): Promise<RunningFlagServer> {
  const server = await startTestFlagServer(
    { files, ...(startupGraceMs === undefined ? {} : { startupGraceMs }) },
    logger,
  );
  cleanups.push(() => server.close());
  return server;
}

async function get(
  server: RunningFlagServer,
  route: string,
): Promise<{ status: number; body: string; type: string | null }> {
  const response = await fetch(`http://127.0.0.1:${server.managementPort}${route}`);
  return { status: response.status, body: await response.text(), type: response.headers.get('content-type') };
}

/** Polls until `check` holds; the test's own timeout bounds the wait. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('management endpoints', () => {
  it('answers /healthz while the process runs, even before flags load', async () => {
    const server = await serve([path.join(directory, 'absent.json')]);
    expect(await get(server, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
  });

  it('keeps /readyz at 503 with the reason until a malformed file is fixed', async () => {
    const file = path.join(directory, 'flags.json');
    writeFileSync(file, '{"flags": {');
    const server = await serve([file, flagFile('good.json', ['a'])]);
    const unready = await get(server, '/readyz');
    expect(unready.status).toBe(503);
    expect(unready.body).toMatch(new RegExp(`^not ready\\n${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
    expect(unready.body).not.toContain('good.json');
    writeFlags(file, ['b']);
    await eventually(async () => (await get(server, '/readyz')).status === 200);
    expect((await get(server, '/readyz')).body).toBe('ready\n');
  });

  it('becomes ready when a missing file appears, without a restart', async () => {
    const file = path.join(directory, 'late.json');
    const server = await serve([file]);
    expect((await get(server, '/readyz')).body).toBe(`not ready\n${file}: File not found: ${file}\n`);
    expect(await checkHealth(server.syncPort, '', cleanups)).toEqual({ status: 'NOT_SERVING' });
    writeFlags(file, ['late']);
    await eventually(async () => (await get(server, '/readyz')).status === 200);
    expect(await checkHealth(server.syncPort, 'flagd.sync.v1.FlagSyncService', cleanups)).toEqual({
      status: 'SERVING',
    });
  });

  it('answers 404 for an unknown path and 405 for a POST', async () => {
    const server = await serve([flagFile('flags.json', ['a'])]);
    expect((await get(server, '/nope')).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.managementPort}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

describe('a file that never loads', () => {
  it('holds subscribers back only for the startup grace, then serves the other files while staying un-ready', async () => {
    const broken = path.join(directory, 'broken.json');
    writeFileSync(broken, 'not json');
    const logger = new RecordingLogger();
    const server = await serve([broken, flagFile('good.json', ['g'])], logger, 200);
    const client = createSyncClient(server.syncPort);
    cleanups.push(() => client.close());
    expect(flagKeysOf(await openSyncStream(client).message(0))).toEqual(['g']);
    expect((await get(server, '/readyz')).status).toBe(503);
    expect(
      logger.lines.some(
        (line) => line.startsWith('warn serving the files that loaded; still waiting for:') && line.includes(broken),
      ),
    ).toBe(true);
  });
});

describe('a bad reload', () => {
  it('keeps serving the last good flags, and is logged and counted', async () => {
    const file = flagFile('flags.json', ['kept']);
    const logger = new RecordingLogger();
    const server = await serve([file], logger);
    const client = createSyncClient(server.syncPort);
    cleanups.push(() => client.close());
    writeFileSync(file, '{"flags": oops');
    const source = `genesis_flags_source_reload_errors_total{source="${file}"}`;
    await eventually(async () => sample((await get(server, '/metrics')).body, source) === 1);
    expect(flagKeysOf(await fetchAllFlags(client))).toEqual(['kept']);
    expect(
      logger.lines.some((line) => line.startsWith(`error ${file}:`) && line.includes('serving the last good flags')),
    ).toBe(true);
    expect((await get(server, '/readyz')).status).toBe(200);
  });
});

describe('/metrics', () => {
  it('counts open streams, pushes, payload bytes and each source’s revision', async () => {
    const file = flagFile('flags.json', ['a']);
    const server = await serve([file]);
    const client = createSyncClient(server.syncPort);
    cleanups.push(() => client.close());
    const streams = [openSyncStream(client), openSyncStream(client, { header: `source=${file}` })];
    await Promise.all(streams.map((stream) => stream.message(0)));
    writeFlags(file, ['a', 'b']);
    await Promise.all(streams.map((stream) => stream.message(1)));
    const metrics = (await get(server, '/metrics')).body;
    const bytes = streams
      .flatMap((stream) => stream.messages)
      .reduce((sum, message) => sum + Buffer.byteLength(message.flagConfiguration), 0);
    expect(sample(metrics, 'genesis_flags_sync_streams')).toBe(2);
    expect(sample(metrics, 'genesis_flags_sync_pushes_total')).toBe(4);
    expect(sample(metrics, 'genesis_flags_sync_payload_bytes_total')).toBe(bytes);
    expect(sample(metrics, `genesis_flags_source_revision{source="${file}"}`)).toBe(2);
    expect(sample(metrics, `genesis_flags_source_flags{source="${file}"}`)).toBe(2);
    streams.forEach((stream) => stream.cancel());
    await eventually(async () => sample((await get(server, '/metrics')).body, 'genesis_flags_sync_streams') === 0);
  });

  const promtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!promtool) console.warn('Skipping the promtool format check: promtool is not installed');

  it.skipIf(!promtool)('is valid Prometheus text exposition according to promtool', async () => {
    const server = await serve([flagFile('flags "quoted".json', ['a'])]);
    const response = await get(server, '/metrics');
    expect(response.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const check = spawnSync('promtool', ['check', 'metrics'], { input: response.body, encoding: 'utf8' });
    expect({ status: check.status, output: `${check.stdout}${check.stderr}` }).toEqual({ status: 0, output: '' });
  });
});
