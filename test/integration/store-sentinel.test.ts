import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullCommand } from '../../src/cli/commands/pull.js';
import { pushCommand } from '../../src/cli/commands/push.js';
import { GenesisProvider } from '../../src/provider/genesis-provider.js';
import type { RunningFlagServer } from '../../src/server/flag-server.js';
import {
  redisServerInstalled,
  startRedisSentinel,
  startRedisServer,
  type RedisSentinel,
  type RedisServer,
} from '../fixtures/redis-server.js';
import { waitFor } from '../fixtures/wait-for.js';
import { syncTo } from './provider-sync-harness.js';
import { RecordingLogger, startTestFlagServer } from './sync-flag-server.js';

const FLAG = 'sentinel_flag';
const MASTER_NAME = 'genesis';

describe.runIf(redisServerInstalled())('a store behind Redis Sentinel (real master, replica and Sentinel)', () => {
  let directory: string;
  let master: RedisServer;
  let replica: RedisServer;
  let sentinel: RedisSentinel;
  let sentinelClient: Redis;
  let storeUrl: string;
  let server: RunningFlagServer;
  let client: Client;
  let version = 0;

  /** Pushes `sentinel_flag` with `value` through the Sentinel URL and returns what push printed. */
  async function pushValue(value: boolean): Promise<string> {
    const file = path.join(directory, `flags-${version++}.json`);
    const variant = value ? 'on' : 'off';
    const flags = { [FLAG]: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: variant } };
    writeFileSync(file, JSON.stringify({ flags }));
    const pushed = await pushCommand([file], { store: storeUrl }, {});
    expect(pushed.stderr).toEqual([]);
    expect(pushed.exitCode).toBe(0);
    return pushed.stdout;
  }

  async function pulled(store: string): Promise<string> {
    const result = await pullCommand({ store }, {});
    expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({ exitCode: 0, stderr: [] });
    return result.stdout;
  }

  /** The port of the master the Sentinel names now. */
  async function masterPort(): Promise<number> {
    const address = (await sentinelClient.call('SENTINEL', 'get-master-addr-by-name', MASTER_NAME)) as string[];
    return Number(address[1]);
  }

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'genesis-sentinel-flags-'));
    master = await startRedisServer();
    replica = await startRedisServer({ replicaOf: master.port });
    const replicaClient = new Redis(replica.port, '127.0.0.1');
    await waitFor('the replica in sync', async () =>
      (await replicaClient.info('replication')).includes('master_link_status:up'),
    );
    replicaClient.disconnect();
    sentinel = await startRedisSentinel(master.port, MASTER_NAME);
    sentinelClient = new Redis(sentinel.port, '127.0.0.1');
    await waitFor('the Sentinel to know the replica', async () => {
      const replicas = (await sentinelClient.call('SENTINEL', 'replicas', MASTER_NAME)) as unknown[];
      return replicas.length === 1;
    });
    storeUrl = `redis+sentinel://127.0.0.1:${sentinel.port}/${MASTER_NAME}`;
    await pushValue(false);
    server = await startTestFlagServer({ store: storeUrl }, new RecordingLogger());
    const provider = new GenesisProvider({ sync: syncTo(server.syncPort), logger: new RecordingLogger() });
    await OpenFeature.setProviderAndWait('sentinel', provider);
    client = OpenFeature.getClient('sentinel');
  }, 60_000);

  afterAll(async () => {
    await OpenFeature.clearProviders();
    await server?.close();
    sentinelClient?.disconnect();
    await sentinel?.stop();
    await replica?.stop();
    await master?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('pushes to, pulls from and serves the master the Sentinel names', async () => {
    expect(await pushValue(true)).toBe(`flag set "default" at revision 2 (was 1): changed ${FLAG}\n`);
    expect(await pulled(storeUrl)).toBe(await pulled(master.url));
    await waitFor('the served flag to turn on', async () => (await client.getBooleanValue(FLAG, false)) === true);
  });

  it('follows a failover: with the master killed, a push reaches the promoted replica and the served flags', async () => {
    await master.kill();
    await waitFor('the Sentinel to promote the replica', async () => (await masterPort()) === replica.port);

    expect(await pushValue(false)).toBe(`flag set "default" at revision 3 (was 2): changed ${FLAG}\n`);
    expect(await pulled(storeUrl)).toBe(await pulled(replica.url));
    await waitFor('the served flag to turn off', async () => (await client.getBooleanValue(FLAG, true)) === false);
    const readyz = await fetch(`http://127.0.0.1:${server.managementPort}/readyz`);
    expect({ status: readyz.status, body: await readyz.text() }).toEqual({ status: 200, body: 'ready\n' });
  }, 60_000);
});
