import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repoRoot, 'dist/cli/main.js');
const flags = path.join(repoRoot, 'config/feature_flags.json');
const FREE_PORTS = ['--port', '0', '--sync-port', '0', '--ofrep-port', '0', '--management-port', '0'];

let serverPid: number | undefined;
let parent: ChildProcess | undefined;
afterAll(() => {
  parent?.kill('SIGKILL');
  if (serverPid !== undefined && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, description: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * `npx genesis-flags serve … &` then `kill %1`: the shell signals npx, which exits without passing the
 * signal on. Here a plain parent process stands in for npx and is killed outright; the server it
 * started must notice and stop by itself rather than keep serving as an orphan.
 */
describe.skipIf(!existsSync(cli))('genesis-flags serve started by a process that dies', () => {
  it('stops by itself once its parent is gone', async () => {
    const launcher = `
      const child = require('node:child_process').spawn(process.execPath, ${JSON.stringify([cli, 'serve', flags, ...FREE_PORTS])}, { stdio: ['ignore', 'inherit', 'inherit'] });
      console.log('server pid ' + child.pid);
      setInterval(() => {}, 1000);
    `;
    parent = spawn(process.execPath, ['--input-type=commonjs', '-e', launcher], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    parent.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    parent.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitUntil(() => /sync \(gRPC[^)]*\) on 127\.0\.0\.1:\d+/.test(output), 'the server listens', 20_000);
    serverPid = Number(/server pid (\d+)/.exec(output)?.[1]);
    expect(alive(serverPid)).toBe(true);

    parent.kill('SIGKILL');
    await waitUntil(() => !alive(serverPid ?? 0), `server ${serverPid} has exited`, 10_000);
    expect(alive(serverPid)).toBe(false);
  }, 40_000);
});
