import { randomUUID } from 'node:crypto';
import { describeError } from '../../errors/describe-error.js';
import { isJsonObject, type JsonObjectLike } from '../../document/json-object.js';
import { isGenesisDocument } from '../../genesis/is-genesis-document.js';
import { translateToFlagd } from '../../loading/document-format.js';
import { applyRolloutLayer, type RolloutFieldValues } from '../../loading/rollout-layer.js';
import type { StoreClient } from '../../store/connect-store.js';
import type { FlagSetDocument } from '../../flagd/model.js';
import { canonicalFlagSet, diffFlagSets } from '../../store/flag-set-change.js';
import { CHANGE_LOG_LENGTH } from '../../store/flag-set-store.js';
import type { FlagSetKeys } from '../../store/store-keys.js';
import { DeployError } from '../deploy-error.js';
import type { DeploymentState } from '../state/deployment-state.js';
import { findStageProblemIn, stageLayerOf } from '../flags/flag-sync.js';
import type { HeldLock } from '../state/lock-file.js';
import { describeDrift, type FlagDrift } from '../flags/rollout-edits.js';
import { refusal } from './redis-deployment-state.js';
import { FENCE_CHECK, fenceOf } from './redis-lease.js';

/** A flag set as stored: its revision, the people's Genesis document, and what replicas serve. */
export interface StoredFlagSet {
  readonly revision: number;
  /** The id of the write that made `revision`: the compare-and-set checks it too (see `WRITE_SCRIPT` in flag-set-store). */
  readonly writeId: string;
  /** The Genesis document as pushed (the people's flags); the rollout is merged over it. */
  readonly source: JsonObjectLike;
  readonly flags: Readonly<Record<string, JsonObjectLike>>;
  /** The revision whose served document the controller last merged its stage into; a push since drops it. */
  readonly stageRevision: number | null;
}

/**
 * One stage write: fenced by the lease (`FENCE_CHECK`) and a compare-and-set on the revision the stage
 * was built on (and its write id, so a store flushed or restored back to that number with other flags
 * refuses it too), then the set's next revision (served document, Genesis source, rollout layer) and its
 * change-log entry, all in one script. A push
 * that came in between makes it fail with `STALE`, naming both revisions; nothing is written.
 */
const WRITE_STAGE = `${FENCE_CHECK}
local revision = tonumber(redis.call('HGET', KEYS[2], 'revision') or '0')
local write = redis.call('HGET', KEYS[2], 'write') or ''
local last = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)[1]
if last then revision = math.max(revision, tonumber(string.match(last[1], '^(%d+)'))) end
if revision ~= tonumber(ARGV[2]) then
  return redis.error_reply('STALE the flag set is at revision ' .. revision .. ', the stage was built on revision ' .. ARGV[2])
end
if write ~= ARGV[8] then
  return redis.error_reply('STALE the flag set was written again at revision ' .. revision .. ' since the stage was built on it')
end
local nextRevision = revision + 1
redis.call('HSET', KEYS[2], 'revision', nextRevision, 'document', ARGV[3], 'source', ARGV[4], 'rollout', ARGV[6], 'stage-revision', nextRevision, 'write', ARGV[9])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], nextRevision .. '-0', 'previous', revision, 'previous-write', write, 'write', ARGV[9], 'change', ARGV[5])
return nextRevision`;

/** Reads the set; a set pushed without its Genesis source cannot be rolled out, and says so. */
export async function readStoredFlagSet(
  client: StoreClient,
  keys: FlagSetKeys,
  location: string,
): Promise<StoredFlagSet> {
  const [revision, sourceText, stageRevision, writeId] = await client.hmget(
    keys.set,
    'revision',
    'source',
    'stage-revision',
    'write',
  );
  if (revision === null) throw new DeployError('config', `Flag set not found: ${location}: push it first`);
  let source: unknown;
  try {
    source = JSON.parse(sourceText ?? '');
  } catch (cause) {
    throw new DeployError(
      'config',
      `Flag set ${location} holds no Genesis source to roll out over (pushed as flagd?)`,
      {
        cause,
      },
    );
  }
  if (!isGenesisDocument(source) || !isJsonObject(source))
    throw new DeployError('config', `Flag set ${location} holds no Genesis document to roll out over`);
  return {
    revision: Number(revision),
    writeId: writeId ?? '',
    source,
    flags: source['flags'] as Readonly<Record<string, JsonObjectLike>>,
    stageRevision: stageRevision === null ? null : Number(stageRevision),
  };
}

/**
 * Serves the state's stage: the layer merged over the stored Genesis source, translated to flagd, written
 * as the set's next revision. Built on the revision just read; a push in between fails the
 * compare-and-set, and the stage is built again over the pushed flags (so the push is never undone; a
 * push that changed the rolled-out flag is then found as drift and pauses the rollout).
 */
export async function writeStageToSet(
  client: StoreClient,
  keys: FlagSetKeys,
  leaseKey: string,
  location: string,
  state: DeploymentState,
  lock: HeldLock,
): Promise<RolloutFieldValues> {
  for (let attempt = 1; ; attempt += 1) {
    const stored = await readStoredFlagSet(client, keys, location);
    const { layer, base, enableFlag } = stageLayerOf(state, stored.flags);
    const source = enableFlag ? withFlagEnabled(stored.source, state.plan.flag) : stored.source;
    const translated = translateToFlagd(applyRolloutLayer(source, layer), location);
    if (!translated.ok) throw new DeployError('config', `The stage cannot be served: ${translated.error}`);
    const next = canonicalFlagSet(translated.value.document as FlagSetDocument);
    const { change } = diffFlagSets(parseServed(await client.hget(keys.set, 'document')), next);
    try {
      await client.eval(
        WRITE_STAGE,
        3,
        leaseKey,
        keys.set,
        keys.log,
        fenceOf(lock.holder),
        String(stored.revision),
        JSON.stringify(next),
        JSON.stringify(source),
        JSON.stringify(change),
        JSON.stringify(layer),
        CHANGE_LOG_LENGTH,
        stored.writeId,
        randomUUID(),
      );
      return base;
    } catch (cause) {
      const stale = cause instanceof Error && cause.message.startsWith('STALE');
      if (!stale || attempt >= 3) throw refusal(cause, `Cannot write the stage to ${location}`);
    }
  }
}

/** How a person changed the flag in the stored set since the rollout wrote over it, if they did. */
export async function findStoredDrift(
  client: StoreClient,
  keys: FlagSetKeys,
  location: string,
  state: DeploymentState,
): Promise<FlagDrift | undefined> {
  if (state.flagBase === null) return undefined;
  try {
    const stored = await readStoredFlagSet(client, keys, location);
    const drift = describeDrift(state.plan.flag, state.flagBase, stored.flags[state.plan.flag], location);
    return drift === undefined
      ? undefined
      : { ...drift, description: `${drift.description} (pushed, revision ${stored.revision})` };
  } catch (cause) {
    return { description: `flag set unreadable: ${describeError(cause)}`, turnedOff: false };
  }
}

/** Why the state's stage cannot be served over the stored set, or `undefined`. */
export async function findStoredStageProblem(
  client: StoreClient,
  keys: FlagSetKeys,
  location: string,
  state: DeploymentState,
): Promise<string | undefined> {
  if (state.applied || state.status === 'rolled_back') return undefined;
  try {
    const stored = await readStoredFlagSet(client, keys, location);
    return findStageProblemIn(state, stored.source, stored.flags, location);
  } catch (cause) {
    return describeError(cause);
  }
}

function withFlagEnabled(source: JsonObjectLike, flag: string): JsonObjectLike {
  const flags = source['flags'] as Readonly<Record<string, JsonObjectLike>>;
  return { ...source, flags: { ...flags, [flag]: { ...flags[flag], enabled: true } } };
}

/** The served document the change is taken against; one that does not parse counts as none (the change is whole). */
function parseServed(text: string | null): FlagSetDocument | undefined {
  try {
    return text === null ? undefined : (JSON.parse(text) as FlagSetDocument);
  } catch {
    return undefined;
  }
}
