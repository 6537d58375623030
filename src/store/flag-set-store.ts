import { randomUUID } from 'node:crypto';
import type { FlagSetDocument } from '../flagd/model.js';
import type { Result } from '../errors/result.js';
import type { StoreClient } from './connect-store.js';
import { canonicalFlagSet, diffFlagSets, isEmptyChange, type ChangeSummary } from './flag-set-change.js';
import { flagSetKeys } from './store-keys.js';

/** A flag set as the store holds it; revision 0 and no document when nothing was ever written. */
export interface FlagSetSnapshot {
  readonly flagSetId: string;
  readonly revision: number;
  /** The id of the write that made `revision` (empty when nothing was written): two histories that reuse a revision number differ here. */
  readonly writeId: string;
  readonly document: FlagSetDocument | undefined;
}

/** A write that did not happen because another writer got there first. */
export interface StaleWrite {
  readonly kind: 'stale';
  readonly readRevision: number;
  readonly storeRevision: number;
  readonly message: string;
}

/** What a write did: the new revision, or the revision it left unchanged when the document was the same. */
export interface FlagSetWrite {
  readonly previousRevision: number;
  readonly revision: number;
  readonly summary: ChangeSummary;
}

/** Change-log entries kept per flag set (approximately: Redis trims whole nodes). A reader further behind reloads the snapshot. */
export const CHANGE_LOG_LENGTH = 1_000;

/**
 * The compare-and-set write. Redis runs a script alone, so the revision check, the new document and the
 * log entry happen together or not at all. The current revision is the larger of the hash's and the
 * log's last entry, so a revision is never reused even if the hash was deleted by hand (and XADD, which
 * refuses an id below the last, cannot fail after the hash was written). The write id read must match
 * too: a store flushed or restored from an older copy can come back to the same revision number with
 * other flags, and a write prepared against the old flags must not land on the new ones.
 */
const WRITE_SCRIPT = `
local current = tonumber(redis.call('HGET', KEYS[1], 'revision') or '0')
local currentWrite = redis.call('HGET', KEYS[1], 'write') or ''
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
if last then current = math.max(current, tonumber(string.match(last[1], '^(%d+)'))) end
if current ~= tonumber(ARGV[1]) or currentWrite ~= ARGV[6] then return {0, current} end
local revision = current + 1
redis.call('HSET', KEYS[1], 'revision', revision, 'document', ARGV[2], 'write', ARGV[7])
if ARGV[5] == '' then redis.call('HDEL', KEYS[1], 'source') else redis.call('HSET', KEYS[1], 'source', ARGV[5]) end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], revision .. '-0', 'previous', current, 'previous-write', currentWrite, 'write', ARGV[7], 'change', ARGV[3])
return {1, revision}
`;

/** Reads a flag set's revision and document in one command (one consistent state). */
export async function readFlagSet(client: StoreClient, flagSetId: string): Promise<Result<FlagSetSnapshot>> {
  const key = flagSetKeys(flagSetId).set;
  const [revisionText, documentText, writeId] = await client.hmget(key, 'revision', 'document', 'write');
  if (typeof revisionText !== 'string' || typeof documentText !== 'string')
    return { ok: true, value: { flagSetId, revision: 0, writeId: '', document: undefined } };
  try {
    const document = JSON.parse(documentText) as FlagSetDocument;
    return { ok: true, value: { flagSetId, revision: Number(revisionText), writeId: writeId ?? '', document } };
  } catch (error) {
    return { ok: false, error: `${key} holds a document that is not JSON (${String(error)}); push the flag set again` };
  }
}

/** The revision and write id alone: what a replica compares with what it serves while the log is quiet. */
export async function readFlagSetHead(
  client: StoreClient,
  flagSetId: string,
): Promise<{ readonly revision: number; readonly writeId: string }> {
  const [revision, writeId] = await client.hmget(flagSetKeys(flagSetId).set, 'revision', 'write');
  return { revision: Number(revision ?? 0), writeId: writeId ?? '' };
}

/**
 * Writes `document` as the flag set's next revision if the store is still at `read.revision`; a
 * document equal to the stored one writes nothing. A writer that lost the race gets a `StaleWrite`
 * naming both revisions, and the store keeps the other writer's change whole.
 */
export async function writeFlagSet(
  client: StoreClient,
  read: FlagSetSnapshot,
  document: FlagSetDocument,
  changeLogLength = CHANGE_LOG_LENGTH,
  /** The Genesis document pushed, kept beside the flagd one so a rollout can be written over it (`deploy --store`). */
  source?: unknown,
): Promise<Result<FlagSetWrite, StaleWrite>> {
  const next = canonicalFlagSet(document);
  const { change, summary } = diffFlagSets(read.document, next);
  if (read.document !== undefined && isEmptyChange(summary))
    return { ok: true, value: { previousRevision: read.revision, revision: read.revision, summary } };
  const keys = flagSetKeys(read.flagSetId);
  const [written, revision] = (await client.eval(
    WRITE_SCRIPT,
    2,
    keys.set,
    keys.log,
    read.revision,
    JSON.stringify(next),
    JSON.stringify(change),
    changeLogLength,
    source === undefined ? '' : JSON.stringify(source),
    read.writeId,
    randomUUID(),
  )) as [number, number];
  if (written === 1) return { ok: true, value: { previousRevision: read.revision, revision, summary } };
  return {
    ok: false,
    error: {
      kind: 'stale',
      readRevision: read.revision,
      storeRevision: revision,
      message:
        `Flag set "${read.flagSetId}" changed while this write was prepared: it was read at revision ${read.revision}, ` +
        `the store is now at revision ${revision}; nothing was written (read it again and retry)`,
    },
  };
}
