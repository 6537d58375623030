import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlagdProvider } from '@openfeature/flagd-provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GenesisProvider } from '../../src/provider/genesis-provider.js';
import { requireBuiltCli, spawnCli, waitForOutput, type CliProcess } from '../fixtures/deploy/run-cli.js';
import { redisServerInstalled, startRedisServer, type RedisServer } from '../fixtures/redis-server.js';
import { waitFor } from '../fixtures/wait-for.js';
import { syncTo } from './provider-sync-harness.js';
import { RecordingLogger } from './sync-flag-server.js';

const REPLICAS = 'genesis-flags:{default}:replicas';
const EXPIRY = 'genesis-flags:{default}:replicas:expiry';

describe.runIf(redisServerInstalled())('serve --store: each replica publishes its presence (real redis-server)', () => {
  let redis: RedisServer;
  let client: Redis;
  let directory: string;
  let version = 0;
  const running: CliProcess[] = [];

  beforeAll(async () => {
    requireBuiltCli();
    redis = await startRedisServer();
    client = new Redis(redis.port, '127.0.0.1');
    directory = await mkdtemp(join(tmpdir(), 'genesis-presence-'));
  });
  afterEach(async () => {
    await OpenFeature.clearProviders();
    for (const process of running.splice(0)) {
      process.child.kill('SIGKILL');
      await process.done;
    }
    await client.flushdb();
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
    await rm(directory, { recursive: true, force: true });
  });

  async function push(value: boolean): Promise<void> {
    const file = join(directory, `flags-${(version += 1)}.json`);
    const variant = value ? 'on' : 'off';
    const flags = { presence_flag: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: variant } };
    await writeFile(file, JSON.stringify({ flags }));
    const pushed = await spawnCli(['push', '--store', redis.url, file], directory).done;
    expect(pushed.stderr).toBe('');
  }

  /** `serve --store` as its own process; resolves with it and its sync port once it listens. */
  async function serve(
    presenceInterval: string,
  ): Promise<{ replica: CliProcess; syncPort: number; evaluationPort: number }> {
    const ports = ['--port', '0', '--sync-port', '0', '--ofrep-port', '0', '--management-port', '0'];
    const args = ['serve', '--store', redis.url, ...ports, '--presence-interval', presenceInterval, '--no-controller'];
    const replica = spawnCli(args, directory);
    running.push(replica);
    await waitForOutput(replica, (stdout) => stdout.includes('management on'));
    const port = (pattern: RegExp): number => Number(pattern.exec(replica.stdout())?.[1]);
    return {
      replica,
      syncPort: port(/sync \(gRPC, plaintext\) on 127\.0\.0\.1:(\d+)/),
      evaluationPort: port(/flagd evaluation \([^)]*\) on 127\.0\.0\.1:(\d+)/),
    };
  }

  async function presences(): Promise<Record<string, unknown>[]> {
    return Object.values(await client.hgetall(REPLICAS)).map((text) => JSON.parse(text) as Record<string, unknown>);
  }

  it('shows who serves which revision to how many streams, follows a push, and is gone at a clean shutdown', async () => {
    await push(false);
    const { replica, syncPort, evaluationPort } = await serve('10s');
    const official = new FlagdProvider({ resolverType: 'in-process', host: '127.0.0.1', port: syncPort });
    const ours = new GenesisProvider({ sync: syncTo(syncPort), logger: new RecordingLogger() });
    // Remote evaluation: its EventStream's configuration_change is what clears the provider's cache.
    const remote = new FlagdProvider({ resolverType: 'rpc', host: '127.0.0.1', port: evaluationPort });
    await OpenFeature.setProviderAndWait('presence-official', official);
    await OpenFeature.setProviderAndWait('presence-genesis', ours);
    await OpenFeature.setProviderAndWait('presence-remote', remote);

    const pid = replica.child.pid;
    const expected = { flagSet: 'default', host: hostname(), pid, streams: 3, streamsAtRevision: 3 };
    await waitFor(
      'three streams at revision 1',
      async () => (await presences())[0]?.['streamsAtRevision'] === 3,
      20_000,
    );
    const [first] = await presences();
    expect(first).toMatchObject({ ...expected, revision: 1 });
    expect(first?.['id']).toMatch(new RegExp(`^${hostname()}-${pid}-[0-9a-f]{6}$`));
    expect(Date.parse(String(first?.['startedAt']))).toBeGreaterThan(0);
    // Expires three refresh intervals after its last write, by the store's clock.
    const score = await client.zscore(EXPIRY, String(first?.['id']));
    const [seconds] = await client.time();
    expect(Number(score) - Number(seconds) * 1000).toBeGreaterThan(20_000);

    await push(true);
    await waitFor(
      'revision 2 at every stream',
      async () => {
        const [presence] = await presences();
        return presence?.['revision'] === 2 && presence['streamsAtRevision'] === 3;
      },
      20_000,
    );
    expect(await presences()).toEqual([{ ...first, revision: 2, updatedAt: expect.any(String) as unknown }]);
    await expect(OpenFeature.getClient('presence-genesis').getBooleanValue('presence_flag', false)).resolves.toBe(true);

    replica.child.kill('SIGTERM');
    await replica.done;
    expect(await client.hgetall(REPLICAS)).toEqual({});
    expect(await client.zcard(EXPIRY)).toBe(0);
  }, 40_000);

  it('lets the presence of a replica killed with SIGKILL expire after three refresh intervals', async () => {
    await push(false);
    const killed = await serve('200ms');
    const kept = await serve('200ms');
    await waitFor('both replicas present', async () => (await presences()).length === 2, 20_000);

    killed.replica.child.kill('SIGKILL');
    await killed.replica.done;
    // Live records are the ones whose expiry lies ahead; the survivor's next refresh drops the dead one's.
    await waitFor('the killed replica to expire', async () => (await presences()).length === 1, 5_000);
    expect((await presences()).map((presence) => presence['pid'])).toEqual([kept.replica.child.pid]);
  }, 30_000);
});
