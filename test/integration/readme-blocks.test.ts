import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitExamples, REPO_ROOT, requireBuiltCli } from './examples-harness.js';

/*
 * Runs the README's shell blocks as a reader pastes them: every line of the blocks marked
 * `<!-- readme-test: run ... -->`, in order, in ONE bash process started in the repository root (so
 * `&` jobs and `kill %1 %2 %3` mean what they mean in the reader's shell). Nothing tracked is written:
 * the blocks work on a copy in /tmp/genesis and build into the ignored examples/dist. The README's
 * fixed ports (8013-8016, 8081, 8082) are used by no other test.
 *
 * Where the README tells the reader to wait for something ("wait for both `orchestrator listening`
 * lines", "both instances log: flags changed: ..."), the test waits for that same output before the
 * next line, as the reader does; nothing else is waited for.
 *
 * The Command line transcript (a `console` block) is run line by line under `script`, on a terminal
 * as the reader sees it, each shown line expected in order (the README elides some with `...`).
 *
 * Every shell block of the README is either run or listed in NOT_RUN with the reason; the test fails
 * on a block that is neither. (`ts` and `json` blocks are code, not commands: the option tables and the
 * Genesis example are checked by readme-options.test.ts and readme-genesis-example.test.ts.)
 */

interface Block {
  readonly lang: string;
  readonly lines: readonly string[];
  readonly run: boolean;
}

/** Shell blocks not run, by their first line, and why. */
const NOT_RUN: Readonly<Record<string, string>> = {
  'npm ci && npm start':
    'needs a fresh machine (npm ci), npm start serves forever on the same ports as Five minutes, and npm test is this suite',
  'npm install genesis-flags @openfeature/server-sdk': "installs from the registry into the reader's own application",
  'npx genesis-flags serve config/feature_flags.json --host 0.0.0.0   # evaluation :8013, sync :8015, health :8014':
    'the same server as Five minutes (which runs it) but on every interface; not started twice on the same ports',
  'export GENESIS_FLAGS_STORE=redis://redis.internal:6379/0':
    "needs the reader's Redis; push, pull and serve --store run against a real redis-server in store-push-pull.test.ts and store-serve-fleet.test.ts",
};

/** Serialises runs of this test across checkouts on one machine (see Shell). */
const LOCK_FILE = join(tmpdir(), 'genesis-flags-readme-blocks.lock');

/**
 * Replaced by the test, with the reason: the test run has already built the package (npm run build is
 * checked below), and the examples are emitted here by esbuild, without type checking (npm run typecheck does it).
 */
const BUILD_LINE = 'npm ci && npm run build && npx tsc -p examples/tsconfig.json';

function readmeBlocks(): Block[] {
  const lines = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const end = lines.indexOf('```', i + 1);
    const previous = lines.slice(0, i).findLast((line) => line.trim() !== '') ?? '';
    blocks.push({
      lang: open[1] ?? '',
      lines: lines.slice(i + 1, end),
      run: previous.startsWith('<!-- readme-test: run'),
    });
    i = end;
  }
  return blocks;
}

/** The terminal's erase-line sequence, which npx's spinner ends with. */
const ERASE_LINE = '\u001b[0K';

/** A terminal line without what npx's spinner drew before it (frames, each ended by erase-line). */
function withoutSpinner(line: string): string {
  const at = line.lastIndexOf(ERASE_LINE);
  return at < 0 ? line : line.slice(at + ERASE_LINE.length);
}

const SHELL = new Set(['sh', 'bash', 'console']);

/** What each command of the run blocks must print, and what the reader waits for after it. */
interface Expectation {
  readonly command: RegExp;
  /** Checked on the command's own output (stdout and stderr of the shell, up to its end). */
  readonly prints?: readonly RegExp[];
  /** Output (of any process of the shell) the reader waits for before the next line, with how many times. */
  readonly waitFor?: readonly [string, number][];
}

const TASK = `'{"description":"Summarize the incident report."}' -w '%{http_code}\\n'`;
const MAINTENANCE =
  '{"error":"maintenance_mode","message":"Genesis is down for maintenance; please retry later"}\n503\n';

const EXPECTATIONS: readonly Expectation[] = [
  { command: /^mkdir -p \/tmp\/genesis/ },
  { command: /^npx genesis-flags serve \/tmp\/genesis\/feature_flags.json &/ },
  {
    command: /^curl -sf --retry \d+ --retry-delay 1 --retry-connrefused localhost:8014\/readyz/,
    prints: [/^ready$/m],
  },
  { command: /ORCHESTRATOR_PORT=8081 .*&$/ },
  {
    command: /ORCHESTRATOR_PORT=8082 .*&$/,
    waitFor: [
      ['orchestrator listening on http://127.0.0.1:8081 (provider: genesis-sync, genesis-flags)', 1],
      ['orchestrator listening on http://127.0.0.1:8082 (provider: flagd-in-process, flagd)', 1],
    ],
  },
  {
    command: new RegExp(`^curl -s -X POST localhost:8081/tasks .* ${escape(TASK)}$`),
    prints: [/"mode":"v2"/, /"steps":\[\{[^\]]*"model":"genesis-small"/, /"savingPercent":96\.7/, /^201$/m],
  },
  {
    command: /set-flag\.js \/tmp\/genesis\/feature_flags\.json maintenance_mode on$/,
    waitFor: [['flags changed: maintenance_mode', 2]],
  },
  { command: /^curl -s -X POST localhost:8081\/tasks/, prints: [new RegExp(escape(MAINTENANCE))] },
  { command: /^curl -s -X POST localhost:8082\/tasks/, prints: [new RegExp(escape(MAINTENANCE))] },
  {
    command: /set-flag\.js \/tmp\/genesis\/feature_flags\.json maintenance_mode off$/,
    waitFor: [['flags changed: maintenance_mode', 4]],
  },
  {
    command: /set-flag\.js \/tmp\/genesis\/feature_flags\.json orchestration_enabled off$/,
    waitFor: [['flags changed: orchestration_enabled, llm_integration_enabled, performance_optimizations_enabled', 2]],
  },
  {
    command: /^curl -s -X POST localhost:8082\/tasks/,
    prints: [/"mode":"v1"/, /"queue":"standard"/, /"model":"genesis-large"/, /"costOptimization":"disabled"/, /^201$/m],
  },
  {
    command: /^curl -s localhost:8081\/flags -H 'x-user-id: alice'/,
    prints: [
      /"provider":"genesis-flags"/,
      /"maintenance_mode":\{"value":false,"variant":"off","reason":"STATIC"/,
      /"orchestration_enabled":\{"value":false/,
    ],
  },
  {
    command: /^kill %1 %2 %3/,
    waitFor: [
      ['stopped', 2],
      ['parent process', 1],
    ],
  },
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The background processes log to the same terminal, one timestamped line per write, possibly between
 * a command's own writes (between curl's body and its status code): the command's output is what remains without them.
 */
function withoutLogLines(output: string): string {
  return output.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [^\n]*\n/g, '');
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** One bash fed line by line, its stdout and stderr (and its jobs') kept as one transcript. */
class Shell {
  readonly #bash: ChildProcessWithoutNullStreams;
  #transcript = '';
  #waiters: (() => void)[] = [];
  #next = 0;

  constructor() {
    // Its own process group, so that cleanup can end it and every job it started at once. Under a
    // machine-wide lock: the README's ports and /tmp/genesis are fixed, and several checkouts of the
    // repository may run their tests at once on one machine.
    this.#bash = spawn('flock', ['-w', '60', LOCK_FILE, 'bash', '--noprofile', '--norc'], {
      cwd: REPO_ROOT,
      detached: true,
    });
    const append = (chunk: Buffer): void => {
      this.#transcript += chunk.toString();
      for (const wake of this.#waiters.splice(0)) wake();
    };
    this.#bash.stdout.on('data', append);
    this.#bash.stderr.on('data', append);
  }

  get transcript(): string {
    return this.#transcript;
  }

  /** Runs one line; resolves with its exit status and everything printed meanwhile. */
  async run(line: string, timeoutMs = 15_000): Promise<{ status: number; output: string }> {
    const marker = `::readme-test ${this.#next++}`;
    const from = this.#transcript.length;
    this.#bash.stdin.write(`${line}\necho "${marker} $?::"\n`);
    const ended = await this.until(
      () => new RegExp(`${marker} (\\d+)::`).exec(this.#transcript.slice(from)),
      timeoutMs,
    );
    return { status: Number(ended[1]), output: this.#transcript.slice(from, from + ended.index) };
  }

  /** Waits for a condition on the transcript, re-checked on every output; fails after the timeout. */
  async until<T>(check: () => T | null | false, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = check();
      if (result !== null && result !== false) return result;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`README block timed out; transcript so far:\n${this.#transcript}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  kill(): void {
    if (this.#bash.pid !== undefined && this.#bash.exitCode === null) {
      try {
        process.kill(-this.#bash.pid, 'SIGKILL');
      } catch {
        // Already gone with its jobs.
      }
    }
  }
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The `$ command` lines of a console block, each with the output lines shown under it (`...` dropped). */
function transcriptRuns(lines: readonly string[]): { command: string; expected: string[] }[] {
  const runs: { command: string; expected: string[] }[] = [];
  for (const line of lines) {
    if (line.startsWith('$ ')) runs.push({ command: line.slice(2), expected: [] });
    else if (line !== '' && line !== '...') runs.at(-1)?.expected.push(line);
  }
  return runs;
}

/** The expected lines not found in the printed ones in the same order (lines in between may be elided). */
function missingInOrder(expected: readonly string[], printed: readonly string[]): string[] {
  let at = 0;
  const missing: string[] = [];
  for (const line of expected) {
    const found = printed.indexOf(line, at);
    if (found < 0) missing.push(line);
    else at = found + 1;
  }
  return missing;
}

/** Waits (up to 5 s, checking every 100 ms) for the ports to refuse connections; returns those still open. */
async function portsClosed(ports: readonly number[]): Promise<number[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const open = (await Promise.all(ports.map(async (port) => ((await portAccepts(port)) ? [port] : [])))).flat();
    if (open.length === 0 || Date.now() > deadline) return open;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const blocks = readmeBlocks();

describe('README blocks', () => {
  it('marks or names every shell block: run in order, or listed here with the reason it is not', () => {
    const shellBlocks = blocks.filter((block) => SHELL.has(block.lang));
    const unaccounted = shellBlocks
      .filter((block) => !block.run && block.lang !== 'console') // transcripts are run by the next test
      .map((block) => block.lines[0] ?? '')
      .filter((first) => NOT_RUN[first] === undefined);
    expect(unaccounted).toEqual([]);
    expect(shellBlocks.filter((block) => block.run)).toHaveLength(2);
    expect(new Set(blocks.map((block) => block.lang))).toEqual(new Set(['sh', 'ts', 'json', 'console']));
  });

  it('Command line transcript: each `$` command prints the lines shown, in that order (`...` elides lines)', () => {
    const transcripts = blocks.filter((block) => block.lang === 'console');
    expect(transcripts).toHaveLength(1);
    const runs = transcriptRuns(transcripts[0]?.lines ?? []);
    expect(runs.map((run) => run.command.split(' ').slice(0, 3).join(' '))).toEqual([
      'npx genesis-flags list',
      'ORCHESTRATION_ENABLED=false npx genesis-flags',
      'npx genesis-flags plan',
    ]);
    for (const { command, expected } of runs) {
      // On a terminal, as the reader sees it: `plan` draws its chart only there (JSON otherwise).
      const printed = execFileSync('script', ['-qec', command, '/dev/null'], { cwd: REPO_ROOT, encoding: 'utf8' })
        .replaceAll('\r', '')
        .split('\n')
        .map(withoutSpinner);
      expect({ command, missing: missingInOrder(expected, printed) }).toEqual({ command, missing: [] });
    }
  });

  describe('Five minutes, pasted in order', () => {
    let shell: Shell | undefined;

    beforeAll(async () => {
      requireBuiltCli();
      await emitExamples(join(REPO_ROOT, 'examples', 'dist'));
    }, 60_000);

    afterAll(() => shell?.kill());

    it('runs every command with the output the README shows, and leaves no process behind', async () => {
      const commands = blocks
        .filter((block) => block.run)
        .flatMap((block) => block.lines)
        .filter((line) => line.trim() !== '' && !line.startsWith('#'));
      expect(commands[0]?.startsWith(BUILD_LINE)).toBe(true);
      const toRun = commands.slice(1);
      expect(toRun).toHaveLength(EXPECTATIONS.length);

      shell = new Shell();
      // Another checkout's run of this test may hold the lock for its ~10 s.
      expect(await shell.run('true', 60_000)).toEqual({ status: 0, output: '' });
      for (const [index, command] of toRun.entries()) {
        const expectation = EXPECTATIONS[index];
        expect(expectation?.command.test(command), `README command ${index + 1}: ${command}`).toBe(true);
        const { status, output } = await shell.run(command);
        expect({ command, status }).toEqual({ command, status: 0 });
        for (const pattern of expectation?.prints ?? []) expect(withoutLogLines(output)).toMatch(pattern);
        for (const [text, times] of expectation?.waitFor ?? [])
          await shell.until(() => count(shell?.transcript ?? '', text) >= times);
      }

      // `kill %1` reached npx only; serve saw its parent go and stopped, so every port is free again.
      expect(await portsClosed([8013, 8014, 8015, 8016, 8081, 8082])).toEqual([]);
      expect(shell.transcript).not.toMatch(/Cannot reach flag sync server/);
    }, 120_000);
  });
});
