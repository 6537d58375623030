import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../system/write-file-atomic.js';
import { isProcessAlive } from '../../system/process-alive.js';

/** A controller serving a flag file, as it announces itself beside the file's deployment state. */
export interface ControllerEntry {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  /** `serve`, `controller`, … */
  readonly command: string;
  /** The last time it looked at the deployment (its heartbeat). */
  readonly lastActedAt: string;
}

/** A controller on another host that has not been heard of for this long counts as gone. */
const REMOTE_SILENCE_MS = 30_000;

/**
 * Announces (or refreshes) this process as a controller of the deployments of one state file: one
 * file per process in `<state>.controllers/`, so that `deploy start` can hand a rollout over and
 * `deploy status` can name who drives it.
 */
export async function announceController(directory: string, entry: ControllerEntry): Promise<void> {
  await mkdir(directory, { recursive: true });
  await writeFileAtomic(join(directory, entryName(entry)), `${JSON.stringify(entry)}\n`);
}

export async function withdrawController(directory: string, entry: ControllerEntry): Promise<void> {
  await unlink(join(directory, entryName(entry))).catch(() => undefined);
}

/**
 * The controllers that are running: on this host, those whose process exists (the entries of dead
 * ones are removed); on another, those heard of within the last 30 seconds.
 */
export async function listLiveControllers(directory: string, nowMs: number): Promise<ControllerEntry[]> {
  const names = await readdir(directory).catch(() => [] as string[]);
  const live: ControllerEntry[] = [];
  for (const name of names.filter((candidate) => candidate.endsWith('.json') && !candidate.startsWith('.'))) {
    const entry = parseControllerEntry(await readFile(join(directory, name), 'utf8').catch(() => ''));
    if (entry === null) continue;
    const local = entry.host === hostname();
    if (local && !isProcessAlive(entry.pid)) await unlink(join(directory, name)).catch(() => undefined);
    else if (local || nowMs - Date.parse(entry.lastActedAt) <= REMOTE_SILENCE_MS) live.push(entry);
  }
  return live;
}

/** `pid 123 on host h (serve), last acted 2026-…`. */
export function describeController(entry: ControllerEntry): string {
  return `pid ${entry.pid} on host ${entry.host} (${entry.command}), last acted ${entry.lastActedAt}`;
}

function entryName(entry: ControllerEntry): string {
  return `${entry.host.replace(/[^A-Za-z0-9.-]/g, '_')}-${entry.pid}.json`;
}

/** A registry entry as stored text, or `null` when the text is not one. */
export function parseControllerEntry(text: string): ControllerEntry | null {
  try {
    const value = JSON.parse(text) as Partial<ControllerEntry>;
    return typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.lastActedAt === 'string'
      ? (value as ControllerEntry)
      : null;
  } catch {
    return null;
  }
}
