import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/*
 * Shared by the examples-*.test.ts files: the examples compiled to JavaScript (they run as separate
 * processes), the built CLI, HTTP calls to an orchestrator, and flag files edited on disk.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SHIPPED_FLAGS = join(REPO_ROOT, 'config', 'feature_flags.json');
export const CLI_PATH = join(REPO_ROOT, 'dist', 'cli', 'main.js');

export function requireBuiltCli(): void {
  if (!existsSync(CLI_PATH)) throw new Error(`The CLI is not built (${CLI_PATH} is missing): run npm run build first`);
}

export interface ExamplesBuild {
  /** The folder holding orchestrator/, multi-instance/, ... as JavaScript. */
  readonly dir: string;
  cleanup(): Promise<void>;
}

/**
 * Compiles examples/ into a folder of its own under examples/dist, so that test files compiling at
 * the same time never overwrite each other's output. It stays inside the package, where
 * `genesis-flags` (the built package, by self-reference) and node_modules resolve as they do for
 * `npm run demo`. Type checking is `npm run typecheck`'s job; here the code only needs emitting, file by
 * file, which esbuild does in milliseconds where `tsc --noCheck` took seconds of CPU per test file.
 */
export async function compileExamples(name: string): Promise<ExamplesBuild> {
  const dir = join(REPO_ROOT, 'examples', 'dist', `test-${name}-${process.pid}`);
  await emitExamples(dir);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Emits every example as JavaScript into `outDir`, keeping the folder layout of examples/. */
export async function emitExamples(outDir: string): Promise<void> {
  const examplesDir = join(REPO_ROOT, 'examples');
  const entryPoints = (await readdir(examplesDir, { recursive: true }))
    .filter((file) => file.endsWith('.ts') && !file.startsWith(`dist${sep}`))
    .map((file) => join(examplesDir, file));
  await build({
    entryPoints,
    outdir: outDir,
    outbase: examplesDir,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
}

export interface Caller {
  readonly user?: string;
  readonly region?: string;
  readonly tenant?: string;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** One HTTP call to an orchestrator as the given caller. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  caller: Caller = {},
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (caller.user !== undefined) headers['x-user-id'] = caller.user;
  if (caller.region !== undefined) headers['x-region'] = caller.region;
  if (caller.tenant !== undefined) headers['x-tenant'] = caller.tenant;
  const init: RequestInit = {
    method,
    headers,
    signal: AbortSignal.timeout(15_000),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
  const response = await fetch(`${baseUrl}${path}`, init);
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

export type GenesisFlags = Record<string, Record<string, unknown>>;

/** Rewrites the flags of a Genesis file the way an editor or the deploy CLI does: a temp file renamed over it. */
export async function editFlagFile(file: string, edit: (flags: GenesisFlags) => void): Promise<void> {
  const document = JSON.parse(await readFile(file, 'utf8')) as { flags: GenesisFlags };
  edit(document.flags);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(document, null, 2)}\n`);
  await rename(temp, file);
}

/** Repeats `probe` until it gives a value `done` accepts; fails after `timeoutMs` with the last value. */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`Condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
