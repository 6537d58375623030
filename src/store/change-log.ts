import type { StoreClient } from './connect-store.js';
import type { FlagSetChange } from './flag-set-change.js';
import { flagSetKeys } from './store-keys.js';

/** One entry of a flag set's change log: the write that made `revision` out of `previous`. */
export interface ChangeLogEntry {
  readonly revision: number;
  readonly previous: number;
  /** The write id of `previous` and of this revision (empty in entries written before write ids). */
  readonly previousWrite: string;
  readonly write: string;
  readonly change: FlagSetChange;
}

type StreamReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * Waits up to `blockMs` for the entries after `afterRevision` (XREAD BLOCK: Redis answers as soon as
 * one is written, so nothing polls) and returns them in order; none when the wait ended empty. Run
 * it on a connection of its own: a blocked connection answers nothing else meanwhile.
 */
export async function readChangesAfter(
  client: StoreClient,
  flagSetId: string,
  afterRevision: number,
  blockMs: number,
): Promise<ChangeLogEntry[]> {
  const log = flagSetKeys(flagSetId).log;
  const reply = (await client.xread('BLOCK', blockMs, 'STREAMS', log, `${afterRevision}-0`)) as StreamReply;
  return (reply?.[0]?.[1] ?? []).map(([id, fields]) => parseEntry(log, id, fields));
}

function parseEntry(log: string, id: string, fields: readonly string[]): ChangeLogEntry {
  const value = (name: string): string | undefined => {
    const at = fields.findIndex((field, index) => index % 2 === 0 && field === name);
    return at === -1 ? undefined : fields[at + 1];
  };
  const revision = Number(id.split('-')[0]);
  const previous = Number(value('previous'));
  const changeText = value('change');
  if (!Number.isSafeInteger(revision) || !Number.isSafeInteger(previous) || changeText === undefined)
    throw new Error(
      `${log} entry ${id} is not a flag set change (fields: ${fields.filter((_, i) => i % 2 === 0).join(', ')})`,
    );
  return {
    revision,
    previous,
    previousWrite: value('previous-write') ?? '',
    write: value('write') ?? '',
    change: JSON.parse(changeText) as FlagSetChange,
  };
}
