import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStore, createStoreClient } from '../../src/store/connect-store.js';
import { parseStoreUrl, type StoreLocation } from '../../src/store/store-url.js';
import { freePort } from '../fixtures/server-process.js';
import { redisServerInstalled, startRedisServer, type RedisServer } from '../fixtures/redis-server.js';

function location(url: string): StoreLocation {
  const parsed = parseStoreUrl(url);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe.runIf(redisServerInstalled())('store connection (real redis-server)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('connects to the database the URL names', async () => {
    const store = location(`${redis.url}/3`);
    const connected = await connectStore(createStoreClient(store), store);
    if (!connected.ok) throw new Error(connected.error);
    await connected.value.set('probe', 'db3');
    expect(await connected.value.call('CLIENT', 'INFO')).toContain(' db=3 ');
    await connected.value.quit();
  });

  it('says which store it could not reach, with the password hidden', async () => {
    const port = await freePort();
    const store = location(`redis://app:hunter2@127.0.0.1:${port}/0`);
    const connected = await connectStore(createStoreClient(store), store);
    expect(connected.ok).toBe(false);
    expect(!connected.ok && connected.error).toMatch(
      new RegExp(`^Store redis://app:\\*\\*\\*@127\\.0\\.0\\.1:${port}/0: .*ECONNREFUSED`),
    );
    expect(!connected.ok && connected.error).not.toContain('hunter2');
  });

  it('keeps acknowledged writes across a kill -9 and restart on the same port (AOF)', async () => {
    const store = location(redis.url);
    const before = await connectStore(createStoreClient(store), store);
    if (!before.ok) throw new Error(before.error);
    await before.value.set('survivor', 'kept');
    before.value.disconnect();
    await redis.kill();
    await redis.restart();
    const after = await connectStore(createStoreClient(store), store);
    if (!after.ok) throw new Error(after.error);
    expect(await after.value.get('survivor')).toBe('kept');
    await after.value.quit();
  });
});
