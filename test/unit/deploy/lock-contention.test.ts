import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../../fixtures/deploy/run-cli.js';

/*
 * Eight real processes race for a lock left by a dead process, 50 times: exactly one may act each
 * time. The contenders are started once and told to go by message, so a trial costs milliseconds.
 * Each one that gets the lock checks its fencing token and appends its pid to an "acted" file, as a
 * controller checks before every write; the file must hold exactly one line after each trial.
 */

const CONTENDERS = 8;
const TRIALS = 50;
const LOCK_MODULE = fileURLToPath(new URL('../../../dist/deploy/state/lock-file.js', import.meta.url));

/** A contender: on `go`, tries the lock once; on `release`, lets go of it. */
const CONTENDER = `
import { appendFile } from 'node:fs/promises';
const { tryAcquireLock } = await import(process.env.LOCK_MODULE);
let held;
process.on('message', async (message) => {
  if (message.type === 'go') {
    const attempt = await tryAcquireLock(message.lock, 'contender', Date.now());
    if (attempt.acquired) {
      held = attempt.lock;
      await held.verify();
      await appendFile(message.acted, process.pid + '\\n');
    }
    process.send({ acquired: attempt.acquired });
  } else if (message.type === 'release') {
    await held?.release();
    held = undefined;
    process.send({ released: true });
  }
});
process.send({ ready: true });
`;

let dir: string;
let contenders: ChildProcess[];

/** The next message of a child. */
function nextMessage(child: ChildProcess): Promise<Record<string, unknown>> {
  return new Promise((resolve) => child.once('message', (message) => resolve(message as Record<string, unknown>)));
}

beforeAll(async () => {
  requireBuiltCli();
  dir = await mkdtemp(join(tmpdir(), 'genesis-lock-'));
  const script = join(dir, 'contender.mjs');
  await writeFile(script, CONTENDER);
  contenders = Array.from({ length: CONTENDERS }, () =>
    fork(script, [], { env: { ...process.env, LOCK_MODULE }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
  );
  await Promise.all(contenders.map(nextMessage));
});

afterAll(async () => {
  for (const child of contenders) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('the deployment lock under contention', () => {
  it(`lets exactly one of ${CONTENDERS} processes act on a dead process's lock, ${TRIALS} trials in a row`, async () => {
    // Above Linux's largest pid, so never a live process; on this host, so it counts as dead here.
    const deadPid = Number((await readFile('/proc/sys/kernel/pid_max', 'utf8')).trim()) + 1;
    const actedPerTrial: number[] = [];
    const acquiredPerTrial: number[] = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const lock = join(dir, `trial-${trial}.lock`);
      const acted = join(dir, `trial-${trial}.acted`);
      const stale = { pid: deadPid, host: hostname(), since: '2026-01-01T00:00:00.000Z', command: 'controller' };
      await writeFile(lock, `${JSON.stringify({ ...stale, token: 'dead', epoch: trial })}\n`);
      await writeFile(acted, '');
      const answers = contenders.map(nextMessage);
      for (const child of contenders) child.send({ type: 'go', lock, acted });
      acquiredPerTrial.push((await Promise.all(answers)).filter((answer) => answer['acquired'] === true).length);
      actedPerTrial.push((await readFile(acted, 'utf8')).split('\n').filter((line) => line !== '').length);
      const released = contenders.map(nextMessage);
      for (const child of contenders) child.send({ type: 'release' });
      await Promise.all(released);
    }
    expect(acquiredPerTrial).toEqual(Array.from({ length: TRIALS }, () => 1));
    expect(actedPerTrial).toEqual(Array.from({ length: TRIALS }, () => 1));
  }, 60_000);
});
