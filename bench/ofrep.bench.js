import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { processCpuSeconds } from './harness/process-cpu.js';

/**
 * `npm run bench:ofrep`: OFREP on one core against a bare node:http server answering a constant, measured
 * side by side in the same run. Each server runs in its own process pinned to core 0 (taskset, when
 * present); autocannon loads it from this process over loopback. After a warm-up of each, rounds measure
 * the three cases back to back in a rotating order, so load from other processes on a shared machine
 * falls on all of them; the ratios are per round, summarised by their median.
 */

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const BARE = fileURLToPath(new URL('./ofrep-bare-server.js', import.meta.url));
const QUICK = process.argv.includes('--quick');
/** Short measurements, many rounds, the order rotated each round: a shared machine's load drifts within seconds. */
const ROUNDS = QUICK ? 1 : 8;
const DURATION_S = QUICK ? 1 : 2;
const CONNECTIONS = 50;
const FLAG_COUNT = 100;
const START_TIMEOUT_MS = 15_000;
const SINGLE_PATH = '/ofrep/v1/evaluate/flags/flag-0';
const BULK_PATH = '/ofrep/v1/evaluate/flags';
const SINGLE_BODY = JSON.stringify({ context: { targetingKey: 'user-1', region: 'eu-central-1', plan: 'pro' } });
const BULK_BODY = JSON.stringify({ context: { targetingKey: 'user-1', region: 'eu-central-1' } });

const progress = (message) => process.stderr.write(`[bench:ofrep] ${message}\n`);

/** 100 flags: flag-0 targets by region, then a mix of static, fractional and rule flags. */
function flagDocument() {
  const flags = {};
  for (let index = 0; index < FLAG_COUNT; index++) {
    const kind = index % 4;
    flags[`flag-${index}`] = {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      ...(kind === 0
        ? { targeting: { if: [{ in: [{ var: 'region' }, ['eu-central-1', 'eu-west-1']] }, 'on', null] } }
        : {}),
      ...(kind === 1
        ? {
            targeting: {
              fractional: [
                ['on', 25],
                ['off', 75],
              ],
            },
          }
        : {}),
      ...(kind === 2 ? { targeting: { if: [{ ends_with: [{ var: 'email' }, '@example.com'] }, 'on', 'off'] } } : {}),
    };
  }
  return { flags };
}

const TASKSET = spawnSync('taskset', ['--version']).status === 0;
/** The servers' core; the load generator (this process) runs on the other, so it never takes the server's core. */
const SERVER_CORE = '0';
const CLIENT_CORE = '1';

function pinned(args) {
  return TASKSET ? ['taskset', ['-c', SERVER_CORE, process.execPath, ...args]] : [process.execPath, args];
}

/** Pins this process (autocannon runs in it) to the client core, when there is one. */
function pinClient() {
  if (!TASKSET || cpus().length < 2) return false;
  return spawnSync('taskset', ['-a', '-p', '-c', CLIENT_CORE, String(process.pid)]).status === 0;
}

/** Starts a server process and resolves to its port once it prints `pattern`. */
async function startProcess(args, pattern) {
  const [command, argv] = pinned(args);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const read = (chunk) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (chunk) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`exited (${code}) before listening:\n${output}`)));
  });
  return {
    port,
    pid: child.pid,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Loads `server` for DURATION_S; req/s is per wall-clock second, reqPerCpuS per CPU-second of the server process. */
async function load(server, path, body, headers = {}) {
  const cpuBefore = processCpuSeconds(server.pid);
  const started = performance.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}${path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    connections: CONNECTIONS,
    duration: DURATION_S,
  });
  const unexpected = result.non2xx - (headers['if-none-match'] === undefined ? 0 : (result['3xx'] ?? 0));
  if (result.errors > 0 || unexpected > 0)
    throw new Error(`${path}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  const cpuSeconds = (processCpuSeconds(server.pid) ?? Number.NaN) - (cpuBefore ?? Number.NaN);
  const wallSeconds = (performance.now() - started) / 1000;
  return {
    rps: result.requests.average,
    reqPerCpuS: result.requests.total / cpuSeconds,
    // Below 1, the server waited for requests: the client, not the server, set the pace.
    busy: cpuSeconds / wallSeconds,
    p99: result.latency.p99,
    statusCodes: result.statusCodeStats,
  };
}

async function bulkEtag(port) {
  const response = await fetch(`http://127.0.0.1:${port}${BULK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: BULK_BODY,
  });
  const answer = await response.json();
  if (answer.flags.length !== FLAG_COUNT) throw new Error(`bulk answered ${answer.flags.length} flags`);
  return response.headers.get('etag');
}

async function main() {
  const clientPinned = pinClient();
  const dir = mkdtempSync(join(tmpdir(), 'bench-ofrep-'));
  const file = join(dir, 'flags.json');
  writeFileSync(file, JSON.stringify(flagDocument()));
  const ours = await startProcess(
    [CLI, 'serve', file, '--port', '0', '--sync-port', '0', '--ofrep-port', '0', '--management-port', '0'],
    /OFREP \(http\) on 127\.0\.0\.1:(\d+)/,
  );
  const bare = await startProcess([BARE], /listening on 127\.0\.0\.1:(\d+)/);
  const loadBefore = loadavg()[0];
  try {
    const etag = await bulkEtag(ours.port);
    const cases = {
      anchor: () => load(bare, SINGLE_PATH, SINGLE_BODY),
      single: () => load(ours, SINGLE_PATH, SINGLE_BODY),
      bulk: () => load(ours, BULK_PATH, BULK_BODY, { 'if-none-match': etag }),
    };
    progress('warm-up');
    for (const measure of Object.values(cases)) await measure();
    const rounds = [];
    const names = Object.keys(cases);
    for (let round = 1; round <= ROUNDS; round++) {
      progress(`round ${round} of ${ROUNDS}`);
      const results = {};
      for (let step = 0; step < names.length; step++) {
        const name = names[(round + step) % names.length];
        results[name] = await cases[name]();
      }
      if (results.bulk.statusCodes['304']?.count === undefined) throw new Error('bulk requests were not answered 304');
      rounds.push({ round, ...results });
    }
    report(rounds, loadBefore, loadavg()[0], clientPinned);
  } finally {
    await ours.stop();
    await bare.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(rounds, loadBefore, loadAfter, clientPinned) {
  const fixed = (value, digits = 0) => value.toFixed(digits);
  const lines = [
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString()}`,
    `Load average (1 min) before → after: ${fixed(loadBefore, 1)} → ${fixed(loadAfter, 1)}; servers pinned to core ${SERVER_CORE}, ${clientPinned ? `client to core ${CLIENT_CORE}` : 'client not pinned'}; ${CONNECTIONS} connections, ${DURATION_S} s per measurement`,
    '',
    '| round | bare node:http req/s (p99 ms) | OFREP single req/s (p99 ms) | single ÷ bare | OFREP bulk 100 flags, 304, req/s (p99 ms) | bulk 304 ÷ bare | req per CPU-s: bare / single / bulk 304 | single ÷ bare (CPU) | bulk 304 ÷ bare (CPU) | server busy: bare / single / bulk 304 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { round, anchor, single, bulk } of rounds) {
    lines.push(
      `| ${round} | ${fixed(anchor.rps)} (${anchor.p99}) | ${fixed(single.rps)} (${single.p99}) | ${fixed(single.rps / anchor.rps, 2)} | ${fixed(bulk.rps)} (${bulk.p99}) | ${fixed(bulk.rps / anchor.rps, 2)} | ${fixed(anchor.reqPerCpuS)} / ${fixed(single.reqPerCpuS)} / ${fixed(bulk.reqPerCpuS)} | ${fixed(single.reqPerCpuS / anchor.reqPerCpuS, 2)} | ${fixed(bulk.reqPerCpuS / anchor.reqPerCpuS, 2)} | ${fixed(anchor.busy, 2)} / ${fixed(single.busy, 2)} / ${fixed(bulk.busy, 2)} |`,
    );
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const ratio = (side, measure) => median(rounds.map((r) => r[side][measure] / r.anchor[measure]));
  lines.push(
    '',
    `Median ratios per wall-clock second: single ${fixed(ratio('single', 'rps'), 2)} (target ≥ 0.60), bulk 304 ${fixed(ratio('bulk', 'rps'), 2)} (target ≥ 0.80)`,
    `Median ratios per CPU-second of the server: single ${fixed(ratio('single', 'reqPerCpuS'), 2)}, bulk 304 ${fixed(ratio('bulk', 'reqPerCpuS'), 2)}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
