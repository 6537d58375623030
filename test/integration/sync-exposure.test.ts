import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { credentials, Metadata, status, type Client, type StatusObject } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HealthService } from '../../src/flagd/sync/health-service.js';
import { FlagSyncHandler } from '../../src/flagd/sync/flag-sync-handler.js';
import { SyncFlagState } from '../../src/flagd/sync/sync-flag-state.js';
import { loadSyncProtocol, SYNC_SERVICE_NAME } from '../../src/flagd/sync/sync-proto.js';
import { startSyncServer, type RunningSyncServer } from '../../src/flagd/sync/sync-server.js';
import { RecordingLogger, startTestFlagServer } from './sync-flag-server.js';
import { checkHealth } from './sync-test-client.js';

/**
 * Issue 10, item 8: what the server tells someone who can reach its ports without credentials.
 * Before: /readyz quoted flag keys and variant names of a rejected file, `start` labelled metrics with
 * the absolute path of the shipped config, and health Watch streams were unbounded even with a token.
 */
const cli = resolve('dist/cli/main.js');
const cleanups: (() => unknown)[] = [];
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'genesis-flags-exposure-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('/readyz', () => {
  it('says a file was rejected without quoting its flags, which go to the log', async () => {
    const file = join(directory, 'rejected.json');
    await writeFile(
      file,
      JSON.stringify({
        flags: { 'secret-launch': { state: 'ENABLED', variants: { alpha: 1, beta: 2 }, defaultVariant: 'gamma' } },
      }),
    );
    const logger = new RecordingLogger();
    const server = await startTestFlagServer({ files: [file] }, logger);
    cleanups.push(() => server.close());

    const response = await fetch(`http://127.0.0.1:${server.managementPort}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.text()).toBe(`not ready\n${file}: content rejected (the reason is in the server log)\n`);
    expect(logger.lines.some((line) => line.includes('"gamma" names no variant'))).toBe(true);
  });
});

describe.skipIf(!existsSync(cli))('genesis-flags start on the shipped config', () => {
  it('names the file relative to the working directory in metric labels', async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      [
        ...[cli, 'start', '--no-controller'],
        ...['--port', '0', '--sync-port', '0', '--ofrep-port', '0', '--management-port', '0'],
      ],
      { cwd: resolve('.'), stdio: ['ignore', 'pipe', 'ignore'] },
    );
    cleanups.push(async () => {
      const exited = new Promise((resolveExited) => child.once('exit', resolveExited));
      child.kill('SIGINT');
      await exited;
    });
    let stdout = '';
    await new Promise<void>((resolveStarted) =>
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Press Ctrl+C to stop.')) resolveStarted();
      }),
    );
    const management = /management on (http:\/\/[^ ]+) /.exec(stdout)?.[1];
    const metrics = await (await fetch(`${management}/metrics`)).text();
    expect(metrics).toContain('genesis_flags_source_flags{source="config/feature_flags.json"}');
    expect(metrics).not.toContain(resolve('.'));
  });
});

function healthClient(port: number): Client {
  const client = new (loadSyncProtocol().HealthClient)(`127.0.0.1:${port}`, credentials.createInsecure());
  cleanups.push(() => client.close());
  return client;
}

/** One Watch call: `opened` resolves with its first status message, `ended` with the call's status. */
function watchHealth(client: Client): { opened: Promise<unknown>; ended: Promise<StatusObject> } {
  const watch = loadSyncProtocol().healthService['Watch'];
  if (watch === undefined) throw new Error('no Watch method');
  const call = client.makeServerStreamRequest(
    watch.path,
    watch.requestSerialize,
    watch.responseDeserialize,
    { service: '' },
    new Metadata(),
  );
  call.on('error', () => undefined);
  cleanups.push(() => call.cancel());
  const opened = new Promise((resolveOpened) => call.once('data', resolveOpened));
  const ended = new Promise<StatusObject>((resolveEnded) => call.on('status', resolveEnded));
  return { opened, ended };
}

async function serveHealth(token?: string): Promise<RunningSyncServer> {
  const started = await startSyncServer({
    host: '127.0.0.1',
    port: 0,
    handler: new FlagSyncHandler({ state: new SyncFlagState([]) }),
    health: new HealthService([SYNC_SERVICE_NAME]),
    ...(token === undefined ? {} : { token }),
  });
  if (!started.ok) throw started.error;
  cleanups.push(() => started.value.close());
  return started.value;
}

describe('grpc.health.v1 Watch', () => {
  it('asks for the token when one is configured, while Check stays open for probes', async () => {
    const server = await serveHealth('s3cret');
    expect((await watchHealth(healthClient(server.port)).ended).code).toBe(status.UNAUTHENTICATED);
    expect(await checkHealth(server.port, '', cleanups)).toEqual({ status: 'NOT_SERVING' });
  });

  it('refuses the 101st open stream with RESOURCE_EXHAUSTED', async () => {
    const server = await serveHealth();
    const client = healthClient(server.port);
    const open = Array.from({ length: 100 }, () => watchHealth(client));
    await Promise.all(open.map((watch) => watch.opened));
    const ended = await watchHealth(client).ended;
    expect(ended.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(ended.details).toBe('Too many health Watch streams open (limit 100); use Check');
  });
});
