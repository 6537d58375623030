import { nextCheckAtMs } from '../../deploy/gates/check-schedule.js';
import { systemClock, type Clock } from '../../deploy/clock.js';
import { readDeploymentDriver } from '../../deploy/controller/deployment-driver.js';
import { readFleetStatus } from '../../deploy/controller/fleet-status.js';
import type { DeploymentStore } from '../../deploy/persistence/deployment-store.js';
import { EXIT_CODES } from '../command-result.js';
import { reportError } from './deploy-exit.js';
import { openStoreOf, type CommonOptions } from './deploy-options.js';
import type { OpenedDeploymentStore } from './deploy-store.js';
import { renderHistory, renderStatus } from './deploy-render.js';

/** What `deploy status` is given. */
export interface StatusOptions extends CommonOptions {
  readonly watch?: true;
}

/** What `deploy history` is given. */
export interface HistoryOptions extends CommonOptions {
  readonly flag?: string;
}

const CLEAR_SCREEN = '\x1b[H\x1b[2J';

/**
 * Prints the state; exit 0, or 2 when there is none (as JSON too with `--json`). With `--watch`,
 * redraws it as it changes until Ctrl-C (on a terminal the screen is redrawn in place, as
 * `kubectl argo rollouts get rollout -w` does; piped, each change is printed once), then exits 0.
 */
export async function showStatus(options: StatusOptions, clock: Clock = systemClock): Promise<number> {
  let opened: OpenedDeploymentStore | undefined;
  try {
    opened = await openStoreOf(options);
    const { store } = opened;
    if (options.watch !== true) return await printStatus(store, options, clock.now(), undefined).then((r) => r.code);
    const abort = new AbortController();
    const stop = (): void => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      let last: string | undefined;
      while (!abort.signal.aborted) {
        last = (await printStatus(store, options, clock.now(), last)).shown;
        await clock.sleep(1000, abort.signal);
      }
      return EXIT_CODES.ok;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  } catch (error) {
    return reportError(error);
  } finally {
    await opened?.close();
  }
}

/** Prints the journal; exit 0 (an empty journal is not an error). */
export async function showHistory(options: HistoryOptions): Promise<number> {
  return printHistory(options).catch(reportError);
}

/** Prints the status unless it is what was shown last (`previous`); returns what is shown now. */
async function printStatus(
  store: DeploymentStore,
  options: StatusOptions,
  nowMs: number,
  previous: string | undefined,
): Promise<{ code: number; shown: string }> {
  const state = await store.readState();
  const tty = options.watch === true && options.json !== true && process.stdout.isTTY;
  let text: string;
  let code: number = EXIT_CODES.ok;
  if (state === undefined) {
    const message = `No deployment state: ${store.location}`;
    code = EXIT_CODES.unreadable;
    text = options.json === true ? `${JSON.stringify({ state: null, error: message })}\n` : `${message}\n`;
  } else {
    const driver = await readDeploymentDriver(store, state, nowMs);
    const fleet = store.fleet === undefined ? undefined : await readFleetStatus(store.fleet, state);
    const next = nextCheckAtMs(state);
    const nextCheckAt = Number.isFinite(next) ? new Date(next).toISOString() : null;
    text =
      options.json === true
        ? `${JSON.stringify({ state, controller: driver, nextCheckAt, ...(fleet === undefined ? {} : { fleet }) })}\n`
        : renderStatus(state, driver, nowMs, fleet)
            .map((line) => `${line}\n`)
            .join('');
  }
  // Piped, a watch prints only changes; the countdowns in the text change every second on a terminal.
  const compared = options.json === true || tty ? text : text.replace(/\d+(\.\d+)?(ms|s|m|h|d)\b/g, '');
  if (previous !== undefined && !tty && compared === previous) return { code, shown: previous };
  if (state === undefined && options.json !== true && options.watch !== true) process.stderr.write(`error: ${text}`);
  else process.stdout.write(tty ? `${CLEAR_SCREEN}${text}` : text);
  return { code, shown: compared };
}

async function printHistory(options: HistoryOptions): Promise<number> {
  const opened = await openStoreOf(options);
  let entries;
  try {
    entries = (await opened.store.readJournal()).filter(
      (entry) => options.flag === undefined || entry.flag === options.flag,
    );
  } finally {
    await opened.close();
  }
  const { store } = opened;
  if (options.json === true) process.stdout.write(`${JSON.stringify(entries)}\n`);
  else if (entries.length === 0) process.stdout.write(`No deployment history in ${store.journalLocation}\n`);
  else
    process.stdout.write(
      renderHistory(entries)
        .map((line) => `${line}\n`)
        .join(''),
    );
  return EXIT_CODES.ok;
}
