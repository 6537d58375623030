import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { wallClockMs } from '../sync-clock.js';

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * A real `redis-server` as the store tests start it (test/fixtures/redis-server.ts): a free loopback
 * port, AOF on with `appendfsync always` (every acknowledged push is on disk, the slowest durable
 * setting), its data in a temporary directory. A client of its own answers INFO and MEMORY USAGE.
 */
export async function startRedisProcess() {
  const dataDir = await mkdtemp(join(tmpdir(), 'genesis-bench-redis-'));
  const port = await freePort();
  const child = await launch(port, dataDir);
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

async function launch(port, dataDir) {
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir],
    ...['--appendonly', 'yes', '--appendfsync', 'always', '--save', ''],
    ...['--daemonize', 'no', '--protected-mode', 'no', '--loglevel', 'notice'],
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise((resolve, reject) => {
    const fail = (reason) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} ${reason}:\n${output}`));
    };
    const timer = setTimeout(() => fail(`did not accept connections within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.once('error', (error) => fail(`did not start (${error.message}; is the redis-server package installed?)`));
    child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before it was ready`));
    child.stderr.on('data', (chunk) => (output += chunk.toString()));
    // Logged once the append-only file is loaded and the port listens.
    child.stdout.on('data', function ready(chunk) {
      output += chunk.toString();
      if (!output.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout.off('data', ready);
      resolve();
    });
  });
  // Its log is not needed any more, but an unread pipe could fill and stall the server.
  child.stdout.resume();
  child.stderr.resume();
  return child;
}
