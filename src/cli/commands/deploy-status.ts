import { resolve } from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../../deploy/clock.js';
import { nextCheckAtMs } from '../../deploy/check-schedule.js';
import { DeployError } from '../../deploy/deploy-error.js';
import { readJournal } from '../../deploy/journal.js';
import { readLockHolder } from '../../deploy/lock-file.js';
import { deploymentPaths, readState } from '../../deploy/state-store.js';
import { EXIT_CODES, reportError } from './deploy-exit.js';
import { addCommonOptions, type CommonOptions } from './deploy-options.js';
import { renderEntry, renderStatus } from './deploy-render.js';

interface HistoryOptions extends CommonOptions {
  readonly flag?: string;
}

/** `deploy status` and `deploy history`: read-only, no lock taken. */
export function registerStatusCommands(deploy: Command): void {
  addCommonOptions(deploy.command('status'))
    .description('where the deployment is: stage, exposure, last verdicts, controller')
    .action(async (options: CommonOptions) => {
      process.exitCode = await showStatus(options).catch(reportError);
    });
  addCommonOptions(deploy.command('history'))
    .description('the journal: every transition with the numbers that justified it')
    .option('--flag <key>', 'only this flag')
    .action(async (options: HistoryOptions) => {
      process.exitCode = await showHistory(options).catch(reportError);
    });
}

async function showStatus(options: CommonOptions): Promise<number> {
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
    process.stdout.write(renderStatus(state, lock, nowMs).map((line) => `${line}\n`).join(''));
  }
  return EXIT_CODES.completed;
}

async function showHistory(options: HistoryOptions): Promise<number> {
  const paths = deploymentPaths(resolve(options.state));
  const entries = (await readJournal(paths.journal)).filter((entry) => options.flag === undefined || entry.flag === options.flag);
  if (options.json === true) process.stdout.write(`${JSON.stringify(entries)}\n`);
  else if (entries.length === 0) process.stdout.write(`No deployment history in ${paths.journal}\n`);
  else process.stdout.write(entries.map((entry) => `${renderEntry(entry)}\n`).join(''));
  return EXIT_CODES.completed;
}
