import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FlagdProvider } from '@openfeature/flagd-provider';
import { OpenFeature, type Client, type EvaluationDetails } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pushCommand } from '../../src/cli/commands/push.js';
import { GenesisProvider } from '../../src/provider/genesis-provider.js';
import type { RunningFlagServer } from '../../src/server/flag-server.js';
import { redisServerInstalled, startRedisServer, type RedisServer } from '../fixtures/redis-server.js';
import { CLI_PATH, requireBuiltCli } from './cli-harness.js';
import { evaluateContinuously, syncTo } from './provider-sync-harness.js';
import { RecordingLogger, startTestFlagServer } from './sync-flag-server.js';

/** A replica as the test sees it: its sync and management ports. */
interface Replica {
  readonly syncPort: number;
  readonly managementUrl: string;
}

const FLAG = 'fleet_flag';

let directory: string;
let redis: RedisServer;
let version = 0;
const servers: RunningFlagServer[] = [];
let processReplica: ChildProcess | undefined;
const clients: { readonly client: Client; readonly replica: number; readonly kind: string }[] = [];

/** Pushes `fleet_flag` with `value` (a new file each time) and returns the revision line. */
async function pushValue(value: boolean): Promise<string> {
  const file = path.join(directory, `flags-${version++}.json`);
  const variant = value ? 'on' : 'off';
  const flags = { [FLAG]: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: variant } };
  writeFileSync(file, JSON.stringify({ flags, metadata: { version: String(version) } }));
  const pushed = await pushCommand([file], { store: redis.url }, {});
  if (pushed.exitCode !== 0) throw new Error(pushed.stderr.join('\n'));
  return pushed.stdout;
}

/** `serve --store` as its own process, so it can be killed with SIGKILL; resolves with its ports. */
async function startProcessReplica(): Promise<Replica> {
  const args = ['serve', '--store', redis.url, '--port', '0', '--sync-port', '0', '--ofrep-port', '0'];
  const child = spawn(process.execPath, [CLI_PATH, ...args, '--management-port', '0'], {
    env: { PATH: process.env['PATH'] ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  processReplica = child;
  let stdout = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve --store exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /sync \(gRPC, plaintext\) on 127\.0\.0\.1:(\d+), management on (http:\/\/[^ ]+) /.exec(stdout);
      if (match?.[1] !== undefined && match[2] !== undefined)
        resolve({ syncPort: Number(match[1]), managementUrl: match[2] });
    });
  });
}

async function startInProcessReplica(): Promise<Replica> {
  const server = await startTestFlagServer({ store: redis.url }, new RecordingLogger());
  servers.push(server);
  return { syncPort: server.syncPort, managementUrl: `http://127.0.0.1:${server.managementPort}` };
}

/** One official flagd provider (in-process mode) and one GenesisProvider (sync mode) on `replica`. */
async function subscribe(replica: Replica, index: number): Promise<void> {
  const official = new FlagdProvider({ resolverType: 'in-process', host: '127.0.0.1', port: replica.syncPort });
  const ours = new GenesisProvider({ sync: syncTo(replica.syncPort), logger: new RecordingLogger() });
  for (const [kind, provider] of [
    ['official', official],
    ['genesis', ours],
  ] as const) {
    const domain = `fleet-${index}-${kind}`;
    await OpenFeature.setProviderAndWait(domain, provider);
    clients.push({ client: OpenFeature.getClient(domain), replica: index, kind });
  }
}

async function everyoneSees(value: boolean, among = clients): Promise<void> {
  await vi.waitFor(
    async () => {
      for (const { client } of among) expect(await client.getBooleanValue(FLAG, !value)).toBe(value);
    },
    { timeout: 15_000, interval: 50 },
  );
}

async function readyz(replica: Replica): Promise<string> {
  return (await fetch(`${replica.managementUrl}/readyz`)).text();
}

describe.runIf(redisServerInstalled())('serve --store: three replicas following one store (real redis-server)', () => {
  const replicas: Replica[] = [];

  beforeAll(async () => {
    requireBuiltCli();
    directory = mkdtempSync(path.join(tmpdir(), 'genesis-fleet-'));
    redis = await startRedisServer();
    await pushValue(false);
    replicas.push(await startProcessReplica(), await startInProcessReplica(), await startInProcessReplica());
    for (const [index, replica] of replicas.entries()) await subscribe(replica, index);
    await everyoneSees(false);
  }, 60_000);

  afterAll(async () => {
    await OpenFeature.clearProviders();
    processReplica?.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.close()));
    await redis?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('brings a push to every subscriber of every replica, official provider and ours', async () => {
    expect(await pushValue(true)).toBe(
      'flag set "default" at revision 2 (was 1): changed fleet_flag; set metadata changed\n',
    );
    await everyoneSees(true);
  });

  it('keeps every evaluation answering while Redis is down for 10 s, and delivers the first push after it returns', async () => {
    const loops = clients.map(({ client }) => evaluateContinuously(client, FLAG));
    await redis.kill();
    await vi.waitFor(
      async () =>
        expect(await readyz(replicas[1] as Replica)).toMatch(
          /^ready\nstale: default: Store redis:\/\/127\.0\.0\.1:\d+: connection lost/,
        ),
      { timeout: 10_000, interval: 50 },
    );
    const metrics = await (await fetch(`${(replicas[2] as Replica).managementUrl}/metrics`)).text();
    expect(metrics).toContain('genesis_flags_source_stale{source="default"} 1');
    // The outage itself: the issue asks for 10 s of Redis being away, not for a wait on an event.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await redis.restart();
    await vi.waitFor(async () => expect(await readyz(replicas[1] as Replica)).toBe('ready\n'), {
      timeout: 15_000,
      interval: 50,
    });
    await pushValue(false);
    await everyoneSees(false);
    const answers: EvaluationDetails<boolean>[] = (await Promise.all(loops.map((loop) => loop.stop()))).flat();
    expect(answers.length).toBeGreaterThan(clients.length);
    expect(answers.filter((answer) => answer.reason === 'ERROR' || answer.errorCode !== undefined)).toEqual([]);
  }, 60_000);

  it('keeps the subscribers of a replica killed with SIGKILL on the last good flags, and the others following', async () => {
    processReplica?.kill('SIGKILL');
    const orphans = clients.filter(({ replica }) => replica === 0);
    const others = clients.filter(({ replica }) => replica !== 0);
    await pushValue(true);
    await everyoneSees(true, others);
    for (const { client } of orphans) {
      const details = await client.getBooleanDetails(FLAG, true);
      expect({ value: details.value, errorCode: details.errorCode }).toEqual({ value: false, errorCode: undefined });
    }
  }, 30_000);
});
