import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { processCpuSeconds } from './harness/process-cpu.js';

/**
 * `npm run bench:serve`: gRPC `ResolveBoolean` requests per second and latency of `genesis-flags serve`
 * (flagd.evaluation.v2 on its evaluation port) beside a bare grpc-js server answering a constant, in
 * the same run. Each server is its own process pinned to core 0 (`taskset -c 0`: one core); the load
 * generator is a grpc-js client pinned to core 1 with CONCURRENCY calls in flight. Rounds alternate
 * anchor and ours so drift in the machine's load hits both; the table gives the median round.
 * Target: ours at >= 60% of the anchor's requests per second.
 */

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const DURATION_MS = 4_000;
const WARMUP_MS = 1_000;
const CONCURRENCY = 32;
const TARGET_RATIO = 0.6;
const FLAG_KEY = 'new-checkout';
const START_TIMEOUT_MS = 15_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '../dist/cli/main.js');
const progress = (message) => process.stderr.write(`[bench:serve] ${message}\n`);

/** A targeting flag, so each call runs a rule as real traffic would. */
function writeFlags(directory) {
  const file = path.join(directory, 'flags.json');
  const targeting = { if: [{ '==': [{ var: 'tier' }, 'gold'] }, 'on', 'off'] };
  const flag = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting };
  writeFileSync(file, JSON.stringify({ flags: { [FLAG_KEY]: flag } }));
  return file;
}

/** Starts a process pinned to `core`, resolving with it and the port its first matching line names. */
function startPinned(core, args, portPattern) {
  const child = spawn('taskset', ['-c', String(core), process.execPath, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no port within ${START_TIMEOUT_MS} ms: ${args.join(' ')}`)),
      START_TIMEOUT_MS,
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = portPattern.exec(line);
      if (match === null) return;
      clearTimeout(timer);
      resolve({ child, port: Number(match[1]) });
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${args.join(' ')}`)));
  });
}

/** One load run against `server`; adds the calls answered per CPU-second of the server process. */
async function runLoad(server) {
  const cpuBefore = processCpuSeconds(server.child.pid) ?? Number.NaN;
  const result = await runLoadClient(server.port);
  const cpuSeconds = (processCpuSeconds(server.child.pid) ?? Number.NaN) - cpuBefore;
  return { ...result, callsPerCpuSecond: result.answeredInAll / cpuSeconds };
}

function runLoadClient(port) {
  const child = spawn(
    'taskset',
    [
      '-c',
      '1',
      process.execPath,
      path.join(here, 'serve/load-client.js'),
      String(port),
      String(DURATION_MS),
      String(WARMUP_MS),
      String(CONCURRENCY),
      FLAG_KEY,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`load client exited ${code}`)),
    ),
  );
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function summarise(rounds) {
  const middle = median(rounds.map((round) => round.requestsPerSecond));
  const round = rounds.find((candidate) => candidate.requestsPerSecond === middle);
  return {
    ...round,
    callsPerCpuSecond: median(rounds.map((each) => each.callsPerCpuSecond)),
    failed: rounds.reduce((sum, each) => sum + each.failed, 0),
  };
}

async function main() {
  const directory = mkdtempSync(path.join(tmpdir(), 'bench-serve-'));
  const file = writeFlags(directory);
  const servers = [];
  try {
    const anchor = await startPinned(0, [path.join(here, 'serve/bare-grpc-server.js')], /on 127\.0\.0\.1:(\d+)/);
    servers.push(anchor.child);
    const library = await startPinned(0, [path.join(here, 'serve/bare-connect-server.js')], /on 127\.0\.0\.1:(\d+)/);
    servers.push(library.child);
    const ours = await startPinned(
      0,
      [cli, 'serve', file, '--port', '0', '--sync-port', '0', '--ofrep-port', '0', '--management-port', '0'],
      /evaluation \([^)]*\) on 127\.0\.0\.1:(\d+)/,
    );
    servers.push(ours.child);
    const results = { anchor: [], library: [], ours: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, server] of [
        ['anchor', anchor],
        ['library', library],
        ['ours', ours],
      ]) {
        progress(`round ${round}/${ROUNDS}: ${name}`);
        results[name].push(await runLoad(server));
      }
    }
    report(summarise(results.anchor), summarise(results.library), summarise(results.ours));
  } finally {
    for (const child of servers) child.kill('SIGTERM');
    rmSync(directory, { recursive: true, force: true });
  }
}

function report(anchor, library, ours) {
  const ratio = ours.requestsPerSecond / anchor.requestsPerSecond;
  const row = (name, result) =>
    `| ${name} | ${Math.round(result.requestsPerSecond).toLocaleString('en-US')} | ${result.p50Ms.toFixed(2)} ms | ${result.p99Ms.toFixed(2)} ms | ${Math.round(result.callsPerCpuSecond).toLocaleString('en-US')} | ${result.failed} |`;
  const cpu = cpus()[0]?.model ?? 'unknown';
  const lines = [
    `Machine: ${cpus().length} cores (${cpu}), Node ${process.version}, ${new Date().toISOString()}, load average ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}`,
    `Each server pinned to one core; ${CONCURRENCY} calls in flight from a grpc-js client on the other; ${ROUNDS} alternating rounds of ${DURATION_MS / 1000} s, median round shown.`,
    '',
    '| server (one core) | ResolveBoolean req/s | p50 | p99 | calls per CPU-second (median) | failed calls |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row('bare grpc-js, constant answer (anchor)', anchor),
    row('bare @connectrpc/connect-node, constant answer', library),
    row('genesis-flags serve, flagd.evaluation.v2', ours),
    '',
    `ours ÷ anchor: ${(ratio * 100).toFixed(0)}% (target >= ${TARGET_RATIO * 100}%: ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}); ` +
      `connect-node ÷ anchor: ${((library.requestsPerSecond / anchor.requestsPerSecond) * 100).toFixed(0)}%; ` +
      `ours ÷ connect-node: ${((ours.requestsPerSecond / library.requestsPerSecond) * 100).toFixed(0)}%`,
    `Per CPU-second of the server: ours ÷ anchor ${((ours.callsPerCpuSecond / anchor.callsPerCpuSecond) * 100).toFixed(0)}%; ` +
      `connect-node ÷ anchor ${((library.callsPerCpuSecond / anchor.callsPerCpuSecond) * 100).toFixed(0)}%`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
