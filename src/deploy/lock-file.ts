import { randomBytes } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { describeError } from '../flagd/describe-error.js';
import { atomicTempPath } from '../flagd/sources/write-file-atomic.js';
import { DeployError } from './deploy-error.js';
import { isProcessAlive } from './process-alive.js';

/** Who holds a lock: written into the lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  /** What the holder is doing, e.g. `deploy start`. */
  readonly command: string;
  /** Tells two holders with the same pid and host apart. */
  readonly token: string;
}

/** A lock this process holds. */
export interface HeldLock {
  readonly holder: LockHolder;
  release(): Promise<void>;
}

export type LockAttempt =
  | { readonly acquired: true; readonly lock: HeldLock; readonly tookOverFrom: LockHolder | null }
  | { readonly acquired: false; readonly holder: LockHolder | null };

/**
 * Takes the lock if it is free, or if its holder is a dead process on this machine (the lock of a
 * process killed with `kill -9` is taken over; the caller warns). The lock file appears with its
 * content in one step (written aside, then hard-linked into place, which fails if the name
 * exists), so no reader ever sees an empty lock. A holder on another host cannot be checked and
 * counts as alive.
 */
export async function tryAcquireLock(path: string, command: string, nowMs: number): Promise<LockAttempt> {
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    since: new Date(nowMs).toISOString(),
    command,
    token: randomBytes(6).toString('hex'),
  };
  let tookOverFrom: LockHolder | null = null;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (await createExclusive(path, holder)) {
      return { acquired: true, lock: { holder, release: () => releaseLock(path, holder) }, tookOverFrom };
    }
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const current = parseHolder(text);
    if (current === null || !isStale(current)) return { acquired: false, holder: current };
    // Remove the stale lock only if it is still the one just read, then race for it again.
    if ((await readFile(path, 'utf8').catch(() => undefined)) === text) await unlink(path).catch(() => undefined);
    tookOverFrom = current;
  }
  return { acquired: false, holder: parseHolder((await readFile(path, 'utf8').catch(() => '')) ?? '') };
}

/** Reads who holds the lock, if anyone, and whether that process is still alive. */
export async function readLockHolder(path: string): Promise<{ holder: LockHolder; alive: boolean } | null> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  const holder = text === undefined ? null : parseHolder(text);
  return holder === null ? null : { holder, alive: !isStale(holder) };
}

/** `pid 123 on host h (deploy start) since …`. */
export function describeHolder(holder: LockHolder | null): string {
  return holder === null
    ? 'an unknown holder'
    : `pid ${holder.pid} on host ${holder.host} (${holder.command}) since ${holder.since}`;
}

function isStale(holder: LockHolder): boolean {
  return holder.host === hostname() && !isProcessAlive(holder.pid);
}

async function createExclusive(path: string, holder: LockHolder): Promise<boolean> {
  // Named like writeFileAtomic's temp files, so removeOrphanedTempFiles clears one a kill left behind.
  const temp = atomicTempPath(path, holder.token, holder.pid);
  await writeFile(temp, `${JSON.stringify(holder)}\n`, { flag: 'wx' }).catch((cause: unknown) => {
    throw new DeployError('lock', `Cannot create lock file: ${path}: ${describeError(cause)}`, { cause });
  });
  try {
    await link(temp, path);
    return true;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new DeployError('lock', `Cannot create lock file: ${path}: ${describeError(cause)}`, { cause });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function releaseLock(path: string, holder: LockHolder): Promise<void> {
  const current = parseHolder((await readFile(path, 'utf8').catch(() => undefined)) ?? '');
  if (current?.token === holder.token && current.pid === holder.pid) await unlink(path).catch(() => undefined);
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.host === 'string' ? (value as LockHolder) : null;
  } catch {
    return null;
  }
}
