import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { status } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSyncClient, flagKeysOf, openSyncStream } from './sync-test-client.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repoRoot, 'dist/cli/main.js');
const built = existsSync(cli);
/** Every port on a free one, so tests run beside each other and beside a real flagd. */
const FREE_PORTS = ['--port', '0', '--sync-port', '0', '--ofrep-port', '0', '--management-port', '0'];
if (!built) console.warn(`Skipping the serve CLI tests: ${cli} is missing (run npm run build)`);

let directory: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'serve-cli-'));
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(directory, { recursive: true, force: true });
});

function flagFile(): string {
  const file = path.join(directory, 'flags.json');
  writeFileSync(
    file,
    JSON.stringify({
      flags: { banner: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' } },
    }),
  );
  return file;
}

interface Served {
  readonly child: ChildProcess;
  /** The line saying where it listens. */
  readonly line: string;
  readonly syncPort: number;
  readonly managementPort: number;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Runs `genesis-flags <args>` and resolves once it prints where it listens. */
function runServe(args: string[], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: directory,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  const output = child.stdout;
  if (output === null) throw new Error('no stdout pipe');
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: output });
    lines.on('line', (line) => {
      const match = /on 127\.0\.0\.1:(\d+), management on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (match !== null) resolve({ child, line, syncPort: Number(match[1]), managementPort: Number(match[2]), exit });
    });
    void exit.then((ended) => reject(new Error(`exited before listening: ${JSON.stringify(ended)}`)));
  });
}

describe.skipIf(!built)('genesis-flags serve', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'drains on %s: streams end UNAVAILABLE and the process exits 0',
    async (signal) => {
      const served = await runServe(['serve', flagFile(), ...FREE_PORTS]);
      const client = createSyncClient(served.syncPort);
      try {
        const stream = openSyncStream(client);
        expect(flagKeysOf(await stream.message(0))).toEqual(['banner']);
        served.child.kill(signal);
        expect((await stream.status).code).toBe(status.UNAVAILABLE);
        expect(await served.exit).toMatchObject({ code: 0, signal: null });
      } finally {
        client.close();
      }
    },
  );

  it('takes its ports from FLAGD_PORT, FLAGD_SYNC_PORT, FLAGD_OFREP_PORT and FLAGD_MANAGEMENT_PORT', async () => {
    const served = await runServe(['serve', flagFile()], {
      FLAGD_PORT: '0',
      FLAGD_SYNC_PORT: '0',
      FLAGD_OFREP_PORT: '0',
      FLAGD_MANAGEMENT_PORT: '0',
    });
    expect(served.syncPort).not.toBe(8015);
    const ready = await fetch(`http://127.0.0.1:${served.managementPort}/readyz`);
    expect(ready.status).toBe(200);
    served.child.kill('SIGTERM');
    expect((await served.exit).code).toBe(0);
  });

  it('exits 1 naming a missing token file', async () => {
    const missing = path.join(directory, 'token.txt');
    const child = spawn(process.execPath, [cli, 'serve', flagFile(), ...FREE_PORTS, '--token-file', missing], {
      cwd: directory,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, stderr }).toEqual({ code: 1, stderr: `error: File not found: ${missing}\n` });
  });
});

/** The production flags' on/off states, as the Genesis issue's table states them. */
const PRODUCTION_STATES: Readonly<Record<string, boolean>> = {
  orchestration_enabled: true,
  security_hardening_enabled: true,
  llm_integration_enabled: true,
  aatc_system_enabled: false,
  reward_learning_enabled: true,
  error_handling_enabled: true,
  otel_enabled: true,
  performance_optimizations_enabled: true,
  phase_1_complete: true,
  phase_2_complete: true,
  phase_3_complete: true,
  phase_4_deployment: false,
  emergency_shutdown: false,
  read_only_mode: false,
  maintenance_mode: false,
};

describe.skipIf(!built)('genesis-flags start (npm start)', () => {
  it('serves the shipped config, says where, and prints every flag with its value', async () => {
    const child = spawn(process.execPath, [cli, 'start', ...FREE_PORTS], {
      cwd: directory,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(child);
    let stdout = '';
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Press Ctrl+C to stop.')) resolve();
      }),
    );
    const port = Number(/sync \(gRPC[^)]*\) on 127\.0\.0\.1:(\d+),/.exec(stdout)?.[1]);
    const client = createSyncClient(port);
    try {
      const served = flagKeysOf(await openSyncStream(client).message(0));
      expect(served).toEqual(Object.keys(PRODUCTION_STATES).sort());
    } finally {
      client.close();
    }
    const rows = new Map(
      stdout
        .split('\n')
        .map((line) => line.split(/\s+/))
        .map((cells) => [cells[0], cells]),
    );
    expect(rows.get('KEY')).toEqual(['KEY', 'STATE', 'VARIANT', 'VALUE', 'REASON']);
    for (const [key, on] of Object.entries(PRODUCTION_STATES))
      expect([key, rows.get(key)?.[3]]).toEqual([key, String(on)]);
    // STATE is the Genesis file's `enabled`, not flagd's state of the translation (always ENABLED).
    expect(rows.get('emergency_shutdown')?.slice(0, 2)).toEqual(['emergency_shutdown', 'disabled']);
    expect(rows.get('orchestration_enabled')?.slice(0, 2)).toEqual(['orchestration_enabled', 'enabled']);
    child.kill('SIGINT');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
  });

  it('runs a flagd command line unchanged: start --port 8013 --uri file:<path> serves that file', async () => {
    const served = await runServe([
      'start',
      '--port',
      '0',
      '--uri',
      `file:${flagFile()}`,
      '--sync-port',
      '0',
      '--ofrep-port',
      '0',
      '-m',
      '0',
    ]);
    const evaluationPort = Number(/evaluation \([^)]*\) on 127\.0\.0\.1:(\d+)/.exec(served.line)?.[1]);
    const response = await fetch(`http://127.0.0.1:${evaluationPort}/flagd.evaluation.v1.Service/ResolveBoolean`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ flagKey: 'banner' }),
    });
    expect(await response.json()).toEqual({ value: true, reason: 'STATIC', variant: 'on', metadata: {} });
    const client = createSyncClient(served.syncPort);
    try {
      expect(flagKeysOf(await openSyncStream(client).message(0))).toEqual(['banner']);
    } finally {
      client.close();
    }
    served.child.kill('SIGTERM');
    expect((await served.exit).code).toBe(0);
  });

  it('refuses a --uri that is not a file, naming it', async () => {
    const child = spawn(process.execPath, [cli, 'start', '--uri', 'grpc://flags:8015', ...FREE_PORTS], {
      cwd: directory,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, firstLine: stderr.split('\n')[0] }).toEqual({
      code: 1,
      firstLine:
        "error: option '-f, --uri <uris>' argument 'grpc://flags:8015' is invalid. expected file paths or file: URIs (only files are served; not grpc://, http://)",
    });
  });

  it.each([
    [
      '--port',
      '70000',
      "error: option '-p, --port <port>' argument '70000' is invalid. expected a port number (0-65535)",
    ],
    [
      '--max-request-body',
      '1e6',
      "error: option '-B, --max-request-body <bytes>' argument '1e6' is invalid. expected a whole number of bytes, 0 for no limit",
    ],
  ])('refuses %s %s as its variable would be refused, naming what it expects', async (option, value, line) => {
    const child = spawn(process.execPath, [cli, 'serve', option, value], {
      cwd: directory,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, firstLine: stderr.split('\n')[0] }).toEqual({ code: 1, firstLine: line });
  });
});
