import { spawnSync } from 'node:child_process';
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/system/write-file-atomic.js';
import { removeOrphanedTempFiles } from '../../../src/system/write-file-atomic.js';
import type { JournalEntry } from '../../../src/deploy/state/deployment-state.js';
import { appendJournal, catchUpJournal, fileJournal, readJournal } from '../../../src/deploy/state/journal.js';
import { readLockHolder, tryAcquireLock } from '../../../src/deploy/state/lock-file.js';
import { enqueueRequest, listRequests } from '../../../src/deploy/requests/request-inbox.js';
import { parseState, readState } from '../../../src/deploy/state/state-store.js';
import { buildPlan } from '../../../src/deploy/plan/plan.js';
import { startDeployment } from '../../../src/deploy/state/transitions.js';
import { makeDeployWorkspace, type DeployWorkspace } from '../../fixtures/deploy/deploy-workspace.js';

let workspace: DeployWorkspace;
beforeEach(async () => {
  workspace = await makeDeployWorkspace();
});
afterEach(async () => {
  await workspace.cleanup();
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());
}

function startedState() {
  const built = buildPlan({ flag: 'f', configFile: '/x', strategy: 'fast' });
  if (!built.ok) throw new Error(built.error);
  return startDeployment(built.value, 'hash', Date.parse('2025-10-18T00:00:00Z'), 'ops');
}

describe('removeOrphanedTempFiles', () => {
  it('removes the temp files of dead writers only', async () => {
    const dead = join(workspace.dir, `.feature_flags.json.${deadPid()}.abcd.tmp`);
    const alive = join(workspace.dir, `.feature_flags.json.${process.pid}.abcd.tmp`);
    await writeFile(dead, 'partial');
    await writeFile(alive, 'in progress');
    // A minute later: a dead writer's temp file is removed only once it is that old.
    await removeOrphanedTempFiles(workspace.flagFile, Date.now() + 60_000);
    expect((await readdir(workspace.dir)).sort()).toEqual([
      `.feature_flags.json.${process.pid}.abcd.tmp`,
      'feature_flags.json',
    ]);
  });
});

describe('tryAcquireLock', () => {
  const lockPath = (): string => join(workspace.dir, 'state.json.lock');

  it('takes a free lock, refuses a second taker naming the holder, and frees it on release', async () => {
    const first = await tryAcquireLock(lockPath(), 'deploy start', Date.parse('2025-10-18T00:00:00Z'));
    expect(first.acquired).toBe(true);
    const second = await tryAcquireLock(lockPath(), 'deploy start', Date.now());
    expect(second).toMatchObject({
      acquired: false,
      holder: { pid: process.pid, host: hostname(), command: 'deploy start', since: '2025-10-18T00:00:00.000Z' },
    });
    if (first.acquired) await first.lock.release();
    expect(await readLockHolder(lockPath())).toBeNull();
  });

  it('takes over the lock of a dead process on this host and says whose it was', async () => {
    const pid = deadPid();
    await writeFile(
      lockPath(),
      JSON.stringify({ pid, host: hostname(), since: 'then', command: 'deploy start', token: 't' }),
    );
    const attempt = await tryAcquireLock(lockPath(), 'deploy reconcile', Date.now());
    expect(attempt).toMatchObject({ acquired: true, tookOverFrom: { pid } });
    expect(await readLockHolder(lockPath())).toMatchObject({
      holder: { pid: process.pid, command: 'deploy reconcile' },
      alive: true,
    });
  });

  it('counts a holder on another host as alive', async () => {
    await writeFile(
      lockPath(),
      JSON.stringify({ pid: deadPid(), host: 'elsewhere', since: 'then', command: 'deploy start', token: 't' }),
    );
    expect(await tryAcquireLock(lockPath(), 'deploy start', Date.now())).toMatchObject({
      acquired: false,
      holder: { host: 'elsewhere' },
    });
  });

  it('refuses an unreadable lock file rather than guessing', async () => {
    await writeFile(lockPath(), 'garbage');
    expect(await tryAcquireLock(lockPath(), 'deploy start', Date.now())).toEqual({ acquired: false, holder: null });
  });
});

describe('journal', () => {
  const entry = (seq: number): JournalEntry => ({ ...(startedState().entry as JournalEntry), seq });

  it('appends one line per entry and reads them back, skipping a torn last line', async () => {
    await appendJournal(workspace.journalFile, entry(1));
    await appendFile(workspace.journalFile, '{"seq": 2, "at": "2025');
    await appendJournal(workspace.journalFile, entry(3));
    expect((await readJournal(workspace.journalFile)).map((item) => item.seq)).toEqual([1, 3]);
    expect((await readFile(workspace.journalFile, 'utf8')).split('\n')).toHaveLength(4);
  });

  it('appends the state’s last transition once when a crash left it out', async () => {
    const { state } = startedState();
    await catchUpJournal(fileJournal(workspace.journalFile), state);
    await catchUpJournal(fileJournal(workspace.journalFile), state);
    expect((await readJournal(workspace.journalFile)).map((item) => item.seq)).toEqual([1]);
  });

  it('reads a missing journal as empty', async () => {
    expect(await readJournal(join(workspace.dir, 'none.jsonl'))).toEqual([]);
  });
});

describe('state file', () => {
  it('reads a missing state as none and a stored one as written', async () => {
    expect(await readState(workspace.stateFile)).toBeUndefined();
    const { state } = startedState();
    await writeFileAtomic(workspace.stateFile, JSON.stringify(state));
    expect(await readState(workspace.stateFile)).toEqual(state);
  });

  it.each([
    ['{', /^Deployment state is not valid JSON: s\.json:1:2: /],
    ['{"version": 2}', /^Deployment state is not usable: s\.json: unsupported version 2$/],
    [JSON.stringify({ ...startedState().state, status: 'exploded' }), /unknown status "exploded"$/],
    [JSON.stringify({ ...startedState().state, stageIndex: 9 }), /stageIndex 9 is outside the plan$/],
  ])('refuses %s', (text, error) => {
    const parsed = parseState(text, 's.json');
    expect(!parsed.ok && parsed.error).toMatch(error);
  });
});

describe('request inbox', () => {
  it('lists queued requests oldest first and drops files that are not requests', async () => {
    const directory = join(workspace.dir, 'requests');
    await enqueueRequest(directory, {
      id: 'b',
      action: 'resume',
      reason: null,
      by: 'ops',
      at: '2025-10-18T00:00:02.000Z',
    });
    await enqueueRequest(directory, {
      id: 'a',
      action: 'pause',
      reason: 'x',
      by: 'ops',
      at: '2025-10-18T00:00:01.000Z',
    });
    await writeFile(join(directory, 'junk.json'), '{"nope": true}');
    expect((await listRequests(directory)).map((queued) => queued.request.id)).toEqual(['a', 'b']);
    expect((await readdir(directory)).some((name) => name === 'junk.json')).toBe(false);
  });
});
