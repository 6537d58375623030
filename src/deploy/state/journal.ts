import { appendFile, open, readFile } from 'node:fs/promises';
import { describeError } from '../../errors/describe-error.js';
import { DeployError } from '../deploy-error.js';
import type { DeploymentState, JournalEntry } from './deployment-state.js';

/**
 * Reads the journal, one entry a line. A line that does not parse (the tail of a write cut short
 * by a power loss) is skipped rather than failing the whole history.
 */
export async function readJournal(path: string): Promise<JournalEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new DeployError('state', `Cannot read deployment journal: ${path}: ${describeError(cause)}`, { cause });
  }
  return text.split('\n').flatMap((line) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as JournalEntry];
    } catch {
      return [];
    }
  });
}

/** Appends one entry as a single write, starting on a fresh line. */
export async function appendJournal(path: string, entry: JournalEntry): Promise<void> {
  const separator = (await endsWithNewline(path)) ? '' : '\n';
  await appendFile(path, `${separator}${JSON.stringify(entry)}\n`, 'utf8').catch((cause: unknown) => {
    throw new DeployError('state', `Cannot write deployment journal: ${path}: ${describeError(cause)}`, { cause });
  });
}

/** A journal wherever it is kept: a file here, a stream in Redis. */
export interface JournalAccess {
  readJournal(): Promise<JournalEntry[]>;
  appendJournal(entry: JournalEntry): Promise<void>;
}

/** The journal file at `path`. */
export function fileJournal(path: string): JournalAccess {
  return { readJournal: () => readJournal(path), appendJournal: (entry) => appendJournal(path, entry) };
}

/**
 * Makes sure the journal holds the state's last transition. The state is written before the
 * journal, so after a crash between the two the journal is one entry behind, never ahead; the
 * state keeps that entry, and this appends it if it is missing.
 */
export async function catchUpJournal(journal: JournalAccess, state: DeploymentState): Promise<void> {
  const last = state.lastTransition;
  if (last === null) return;
  const entries = await journal.readJournal();
  const recorded = entries.some((entry) => entry.deployment === last.deployment && entry.seq >= last.seq);
  if (!recorded) await journal.appendJournal(last);
}

/** True for a missing or empty file too: nothing needs ending. */
async function endsWithNewline(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return true;
  try {
    const { size } = await handle.stat();
    if (size === 0) return true;
    const { buffer } = await handle.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] === 0x0a;
  } finally {
    await handle.close();
  }
}
