import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const PROBE = fileURLToPath(new URL('./sync-server-probe.js', import.meta.url));
const START_TIMEOUT_MS = 15_000;
const REPLY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const LISTENING = /on 127\.0\.0\.1:(\d+), management on http:\/\/127\.0\.0\.1:(\d+)/;
/** The last lines the server logged, shown when it fails. */
const LOG_LINES_KEPT = 20;
/** USER_HZ, 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * `genesis-flags serve <sources>` in its own process, as deployed, on free loopback ports: `sources`
 * are flag files, or `--store <url> --flag-set <id>`. The probe preloaded into it answers heap
 * questions; RSS and connections are read from /proc. `nodeArgs` go to node before the script
 * (`--cpu-prof` to profile the server).
 */
export async function startServerProcess(sources, { nodeArgs = [] } = {}) {
  const args = [
    '--expose-gc',
    ...nodeArgs,
    '--import',
    PROBE,
    CLI,
    'serve',
    ...sources,
    '--port',
    '0',
    '--sync-port',
    '0',
    '--ofrep-port',
    '0',
    '--management-port',
    '0',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const log = [];
  const keep = (chunk) => {
    log.push(...chunk.toString().split('\n').filter(Boolean));
    log.splice(0, Math.max(0, log.length - LOG_LINES_KEPT));
  };
  child.stderr.on('data', keep);
  // A send to a server that just died emits 'error'; the pending reply's timeout reports it.
  child.on('error', () => undefined);
  const exited = once(child, 'exit');
  const ports = await listeningPorts(child, exited, log);
  return {
    pid: child.pid,
    syncPort: ports.sync,
    /** VmRSS in bytes, from /proc/<pid>/status. */
    rssBytes: async () =>
      Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${child.pid}/status`, 'utf8'))?.[1]) * 1024,
    /** `process.memoryUsage()` of the server after a full garbage collection. */
    memoryAfterGc: () => replyOf(child, { type: 'memory' }),
    /** User plus system CPU time of the server so far, from /proc/<pid>/stat (10 ms resolution). */
    cpuMs: () => cpuMs(child.pid),
    /** The server's own count of open SyncFlags streams, from /metrics. */
    openStreams: async () =>
      metric(await (await fetch(`http://127.0.0.1:${ports.management}/metrics`)).text(), 'genesis_flags_sync_streams'),
    /** Established TCP connections whose server end is the sync port. */
    connections: () => establishedConnections(ports.sync),
    /** SIGTERM, as an orchestrator stops it; resolves to the exit code (the server drains, then exits 0). */
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const [code, signal] = await exited;
      clearTimeout(timer);
      return code ?? signal;
    },
    log,
  };
}

async function listeningPorts(child, exited, log) {
  let stdout = '';
  const listening = new Promise((resolve) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk.toString();
      const match = LISTENING.exec(stdout);
      if (match !== null) resolve({ sync: Number(match[1]), management: Number(match[2]) });
    });
  });
  const failed = exited.then(([code]) =>
    Promise.reject(new Error(`The server exited (code ${code}) before listening:\n${log.join('\n')}`)),
  );
  let timer;
  const timedOut = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`The server did not listen within ${START_TIMEOUT_MS} ms:\n${log.join('\n')}`)),
      START_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([listening, failed, timedOut]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
    failed.catch(() => undefined);
  }
}

function replyOf(child, request) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The server process did not answer "${request.type}"`)),
      REPLY_TIMEOUT_MS,
    );
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.send(request);
  });
}

function metric(text, name) {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  if (line === undefined) throw new Error(`No ${name} in /metrics`);
  return Number(line.slice(name.length + 1));
}

/** Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised command name) are utime and stime in ticks. */
async function cpuMs(pid) {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** /proc/net/tcp: `sl local_address rem_address st ...`, addresses as HEXIP:HEXPORT, state 01 = ESTABLISHED. */
async function establishedConnections(port) {
  const text = await readFile('/proc/net/tcp', 'utf8');
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1]?.endsWith(`:${portHex}`) && fields[3] === '01').length;
}
