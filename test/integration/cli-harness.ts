import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built binary, run as a user would: `npm run build` (or `npm test`) builds it. */
export const CLI_PATH = path.join(repoRoot, 'dist/cli/main.js');
export const PRODUCTION_FLAGS = path.join(repoRoot, 'config/feature_flags.json');
export const FLAGD_EXAMPLE = path.join(repoRoot, 'config/flags.flagd.json');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fails loudly when the binary has not been built. */
export function requireBuiltCli(): void {
  if (!existsSync(CLI_PATH)) throw new Error(`The CLI is not built (${CLI_PATH} is missing): run npm run build first`);
}

/**
 * Runs `node dist/cli/main.js ...args` to the end. The environment is PATH plus `env` only, so a
 * variable that happens to be named after a flag cannot override it.
 */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { PATH: process.env['PATH'] ?? '', ...options.env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Temporary directories, removed by `removeTempDirs` (call it in afterAll). */
export class TempFiles {
  readonly #dirs: string[] = [];

  /** Writes `text` to a new file in a fresh temp directory and returns its path. */
  write(name: string, text: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'genesis-flags-cli-'));
    this.#dirs.push(dir);
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  }

  removeAll(): void {
    for (const dir of this.#dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** 1-based line and column of the first occurrence of `needle` at or after the line containing `after`. */
export function positionOf(text: string, needle: string, after = ''): { line: number; column: number } {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.includes(after));
  for (let index = Math.max(start, 0); index < lines.length; index += 1) {
    const column = (lines[index] as string).indexOf(needle);
    if (column >= 0) return { line: index + 1, column: column + 1 };
  }
  throw new Error(`${needle} not found`);
}

/** Unix seconds of an ISO instant. */
export function seconds(iso: string): number {
  return Date.parse(iso) / 1000;
}
