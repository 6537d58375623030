import { resolve } from 'node:path';
import { nextCheckAtMs } from '../../deploy/check-schedule.js';
import { systemClock } from '../../deploy/clock.js';
import { DeployError } from '../../deploy/deploy-error.js';
import { readJournal } from '../../deploy/journal.js';
import { readLockHolder } from '../../deploy/lock-file.js';
import { deploymentPaths, readState } from '../../deploy/state-store.js';
import { EXIT_CODES, reportError } from './deploy-exit.js';
import type { CommonOptions } from './deploy-options.js';
import { renderHistory, renderStatus } from './deploy-render.js';

/** What `deploy history` is given. */
export interface HistoryOptions extends CommonOptions {
  readonly flag?: string;
}

/** Prints the state; exit 0, or 2 when there is none. */
export async function showStatus(options: CommonOptions): Promise<number> {
  return printStatus(options).catch(reportError);
}

/** Prints the journal; exit 0 (an empty journal is not an error). */
export async function showHistory(options: HistoryOptions): Promise<number> {
  return printHistory(options).catch(reportError);
}

async function printStatus(options: CommonOptions): Promise<number> {
  const paths = deploymentPaths(resolve(options.state));
  const state = await readState(paths.state);
  if (state === undefined) throw new DeployError('state', `No deployment state: ${paths.state}`);
  const lock = await readLockHolder(paths.lock);
  const nowMs = systemClock.now();
  if (options.json === true) {
    const next = nextCheckAtMs(state);
    const nextCheckAt = Number.isFinite(next) ? new Date(next).toISOString() : null;
    process.stdout.write(`${JSON.stringify({ state, controller: lock, nextCheckAt })}\n`);
  } else {
    process.stdout.write(
      renderStatus(state, lock, nowMs)
        .map((line) => `${line}\n`)
        .join(''),
    );
  }
  return EXIT_CODES.completed;
}

async function printHistory(options: HistoryOptions): Promise<number> {
  const paths = deploymentPaths(resolve(options.state));
  const entries = (await readJournal(paths.journal)).filter(
    (entry) => options.flag === undefined || entry.flag === options.flag,
  );
  if (options.json === true) process.stdout.write(`${JSON.stringify(entries)}\n`);
  else if (entries.length === 0) process.stdout.write(`No deployment history in ${paths.journal}\n`);
  else
    process.stdout.write(
      renderHistory(entries)
        .map((line) => `${line}\n`)
        .join(''),
    );
  return EXIT_CODES.completed;
}
