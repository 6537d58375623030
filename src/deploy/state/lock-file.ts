import { randomBytes } from 'node:crypto';
import { link, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { hostname } from 'node:os';
import { describeError } from '../../errors/describe-error.js';
import { atomicTempPath } from '../../system/write-file-atomic.js';
import { DeployError } from '../deploy-error.js';
import { isProcessAlive } from '../../system/process-alive.js';

/** Who holds a lock: written into the lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  /** What the holder is doing, e.g. `deploy start`. */
  readonly command: string;
  /** Tells two holders with the same pid and host apart. */
  readonly token: string;
  /**
   * The fencing token: it grows by one with every holder, so a process that lost the lock can tell
   * (see {@link HeldLock.verify}) and a lock once taken is never handed out twice.
   */
  readonly epoch: number;
  /** The holder let go: whoever comes next takes epoch + 1. */
  readonly released?: true;
}

/** A lock this process holds. */
export interface HeldLock {
  readonly holder: LockHolder;
  /** Throws a `lock` error when another process holds the lock now (this one was taken over). */
  verify(): Promise<void>;
  release(): Promise<void>;
}

export type LockAttempt =
  | { readonly acquired: true; readonly lock: HeldLock; readonly tookOverFrom: LockHolder | null }
  | { readonly acquired: false; readonly holder: LockHolder | null };

/** Claims this many epochs behind the current one are cleared; a taker that far behind loses anyway. */
const CLAIMS_KEPT = 8;

/**
 * Takes the lock if it is free, released, or held by a dead process on this machine (the lock of a
 * process killed with `kill -9` is taken over; the caller warns). A holder on another host cannot be
 * checked and counts as alive.
 *
 * Every taking goes from epoch n to n + 1 through a claim file `<lock>.<n + 1>` created with
 * `link`, which fails when the name exists: of any number of processes that read epoch n at once,
 * exactly one creates the claim, and only it renames its lock over the old one. The lock file is never
 * removed (release writes a released holder), so "remove the stale lock, then create" — two steps
 * another taker can fall between — never happens. A claimer that died before its rename is skipped
 * by claiming the epoch after it.
 */
export async function tryAcquireLock(path: string, command: string, nowMs: number): Promise<LockAttempt> {
  const base = { pid: process.pid, host: hostname(), since: new Date(nowMs).toISOString(), command };
  const token = randomBytes(6).toString('hex');
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const read = await readLock(path);
    if (read === 'missing') {
      await linkNew(path, { ...base, token: 'initial', epoch: 0, released: true });
      continue;
    }
    if (read === null) return { acquired: false, holder: null };
    if (read.released !== true && !isStale(read)) return { acquired: false, holder: read };
    const claimed = await claimAfter(path, read, { ...base, token });
    if (claimed === 'taken') continue;
    if ('busy' in claimed) return { acquired: false, holder: claimed.busy };
    const holder = claimed;
    await replaceLock(path, holder, token);
    void clearOldClaims(path, holder.epoch);
    const lock = { holder, verify: () => verifyLock(path, holder), release: () => releaseLock(path, holder) };
    return { acquired: true, lock, tookOverFrom: read.released === true ? null : read };
  }
  return { acquired: false, holder: await readHolder(path) };
}

/** Reads who holds the lock, if anyone (a released lock has no holder), and whether it is alive. */
export async function readLockHolder(path: string): Promise<{ holder: LockHolder; alive: boolean } | null> {
  const holder = await readHolder(path);
  return holder === null ? null : { holder, alive: !isStale(holder) };
}

/** `pid 123 on host h (deploy start) since …`. */
export function describeHolder(holder: LockHolder | null): string {
  return holder === null
    ? 'an unknown holder'
    : `pid ${holder.pid} on host ${holder.host} (${holder.command}) since ${holder.since}`;
}

async function readHolder(path: string): Promise<LockHolder | null> {
  const read = await readLock(path);
  return read === 'missing' || read === null || read.released === true ? null : read;
}

function isStale(holder: LockHolder): boolean {
  return holder.host === hostname() && !isProcessAlive(holder.pid);
}

/**
 * Claims the epoch after `current`: the holder to write when this process won. `busy`: a live
 * process claimed it first (it may not have written the lock yet). A claim whose claimer died
 * before its rename is passed over by claiming the next epoch (one claim file each, so still only
 * one winner); a lock that moved on meanwhile is read again (`taken`).
 */
async function claimAfter(
  path: string,
  current: LockHolder,
  base: Omit<LockHolder, 'epoch'>,
): Promise<LockHolder | 'taken' | { busy: LockHolder }> {
  for (let epoch = current.epoch + 1; ; epoch += 1) {
    const holder: LockHolder = { ...base, epoch };
    if (await linkNew(`${path}.${epoch}`, holder)) {
      const now = await readLock(path);
      // A taker far behind (its claim cleared long ago) must not replace a newer lock.
      return now !== 'missing' && now !== null && now.epoch < epoch ? holder : 'taken';
    }
    const claim = await readLock(`${path}.${epoch}`);
    const deadClaim = claim !== 'missing' && claim !== null && isStale(claim);
    const now = await readLock(path);
    if (now === 'missing' || now === null || now.epoch !== current.epoch) return 'taken';
    if (!deadClaim) return claim !== 'missing' && claim !== null ? { busy: claim } : 'taken';
  }
}

/** Writes `holder` beside the lock and renames it over the lock in one step. */
async function replaceLock(path: string, holder: LockHolder, token: string): Promise<void> {
  const temp = atomicTempPath(path, token, process.pid);
  try {
    await writeFile(temp, `${JSON.stringify(holder)}\n`);
    await rename(temp, path);
  } catch (cause) {
    await unlink(temp).catch(() => undefined);
    throw new DeployError('lock', `Cannot write lock file: ${path}: ${describeError(cause)}`, { cause });
  }
}

/** Creates `path` holding `holder` if it does not exist; written aside first, so never seen empty. */
async function linkNew(path: string, holder: LockHolder): Promise<boolean> {
  // Named like writeFileAtomic's temp files, so removeOrphanedTempFiles clears one a kill left behind.
  const temp = atomicTempPath(path, randomBytes(6).toString('hex'), process.pid);
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

async function verifyLock(path: string, holder: LockHolder): Promise<void> {
  const current = await readLock(path);
  if (current !== 'missing' && current !== null && current.token === holder.token && current.epoch === holder.epoch)
    return;
  const now = current === 'missing' || current === null ? 'nobody' : describeHolder(current);
  throw new DeployError('lock', `Lost the deployment lock ${path} (epoch ${holder.epoch}) to ${now}`);
}

async function releaseLock(path: string, holder: LockHolder): Promise<void> {
  const current = await readLock(path);
  if (current === 'missing' || current === null || current.token !== holder.token) return;
  await replaceLock(path, { ...holder, released: true }, holder.token).catch(() => undefined);
}

/** Claims far behind the current epoch; a failure to clear them costs only disk entries. */
async function clearOldClaims(path: string, epoch: number): Promise<void> {
  const prefix = `${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    const claimed = name.startsWith(prefix) ? Number(name.slice(prefix.length)) : NaN;
    if (Number.isInteger(claimed) && claimed < epoch - CLAIMS_KEPT)
      await unlink(join(dirname(path), name)).catch(() => undefined);
  }
}

/** `missing` when there is no such file, `null` when it holds no holder. */
async function readLock(path: string): Promise<LockHolder | 'missing' | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new DeployError('lock', `Cannot read lock file: ${path}: ${describeError(cause)}`, { cause });
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return null;
    // A lock written before epochs existed counts as epoch 0.
    return { ...(value as LockHolder), epoch: typeof value.epoch === 'number' ? value.epoch : 0 };
  } catch {
    return null;
  }
}
