import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { launchRedisServer } from '../../test/fixtures/redis-launch.js';
import { wallClockMs } from '../sync-clock.js';

const STOP_TIMEOUT_MS = 5_000;

/**
 * A real `redis-server` started as the store tests start it (test/fixtures/redis-launch.js): a free
 * loopback port, AOF on with `appendfsync always` (every acknowledged push is on disk, the slowest
 * durable setting), its data in a temporary directory. A client of its own answers INFO and MEMORY USAGE.
 */
export async function startRedisProcess() {
  const dataDir = await mkdtemp(join(tmpdir(), 'genesis-bench-redis-'));
  const port = await freePort();
  const child = await launchRedisServer(port, dataDir);
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
  await client.connect();
  // A blocking read holds its connection, so it gets one of its own.
  const reader = client.duplicate();
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    /** The server's `INFO memory` fields, numbers where they are numbers. */
    memory: async () => parseInfo(await client.info('memory')),
    /** Bytes each key takes (`MEMORY USAGE key SAMPLES 0`: every element counted), and each stream's length. */
    keyUsage: async (keys) =>
      Promise.all(
        keys.map(async (key) => ({
          key,
          bytes: await client.memory('USAGE', key, 'SAMPLES', '0'),
          entries: (await client.type(key)) === 'stream' ? await client.xlen(key) : undefined,
        })),
      ),
    /** The id of the last entry of stream `key` ('0-0' when it has none). */
    lastEntryId: async (key) => (await client.xrevrange(key, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0',
    /**
     * Resolves with the wall-clock instant a blocking read (XREAD, as a replica follows the log) sees
     * an entry of `key` after `afterId`: when a push became visible to the replicas, plus one round trip.
     */
    async entryAfter(key, afterId, timeoutMs) {
      const reply = await reader.xread('BLOCK', timeoutMs, 'STREAMS', key, afterId);
      if (reply === null) throw new Error(`No entry after ${afterId} in ${key} within ${timeoutMs} ms`);
      return wallClockMs();
    },
    version: async () => parseInfo(await client.info('server')).redis_version,
    /** Clients connected, from `INFO clients`. */
    connectedClients: async () => parseInfo(await client.info('clients')).connected_clients,
    async stop() {
      client.disconnect();
      reader.disconnect();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function parseInfo(text) {
  const fields = text
    .split('\r\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
  return Object.fromEntries(fields.map(([name, value]) => [name, Number.isNaN(Number(value)) ? value : Number(value)]));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
