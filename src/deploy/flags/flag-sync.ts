import { readFile } from 'node:fs/promises';
import { describeError } from '../../errors/describe-error.js';
import { writeFileAtomic } from '../../system/write-file-atomic.js';
import { readGenesisDocument } from '../../genesis/read-genesis-document.js';
import {
  applyRolloutLayer,
  parseRolloutLayer,
  rolloutFieldsOf,
  rolloutLayerPath,
  type RolloutFieldValues,
  type RolloutLayer,
} from '../../loading/rollout-layer.js';
import { DeployError } from '../deploy-error.js';
import type { DeploymentState } from '../state/deployment-state.js';
import type { JsonObjectLike } from '../../document/json-object.js';
import { applyFlagEdits, readFlagFile } from './flag-file.js';
import { describeDrift, rollbackEntries, stageEntry, type FlagDrift } from './rollout-edits.js';

/** The layer that serves a state's stage (or rollback) over the people's flags, and the base it is written over. */
export interface StageLayer {
  readonly layer: RolloutLayer;
  readonly base: RolloutFieldValues;
  /** The start found the flag off in the people's flags: the person's own `deploy start` turns it on there. */
  readonly enableFlag: boolean;
}

/** Computes {@link StageLayer} for `state` over `flags`, the people's flags as stored now. */
export function stageLayerOf(state: DeploymentState, flags: Readonly<Record<string, JsonObjectLike>>): StageLayer {
  const { configFile, flag, rollbackFlags } = state.plan;
  const people = flags[flag];
  if (people === undefined) throw new DeployError('config', `Flag not found: ${flag} in ${configFile}`);
  const captured = rolloutFieldsOf(people);
  const base = state.flagBase ?? (state.enableInFile ? { ...captured, enabled: true } : captured);
  const rolledBack = state.status === 'rolled_back';
  const entries = rolledBack
    ? rollbackEntries(flag, state.flagBase ?? captured, rollbackFlags, flags)
    : { [flag]: stageEntry(base, state.percentage) };
  return {
    layer: { version: 1, deployment: state.id, flags: entries },
    base: rolledBack ? (state.flagBase ?? captured) : base,
    enableFlag: state.enableInFile && !rolledBack && captured.enabled === false,
  };
}

/**
 * Brings the rollout layer in line with the state: the stage's exposure, or the rollback. The people's
 * flag file is not written, except once at the start when the flag was off there (the person's own
 * `deploy start` turns it on, after the layer already holds it at stage 0). Returns the base the
 * layer was written over (captured now when the state had none).
 */
export async function writeStateToLayer(state: DeploymentState): Promise<RolloutFieldValues> {
  const { configFile, flag } = state.plan;
  const file = await readFlagFile(configFile);
  const { layer, base, enableFlag } = stageLayerOf(state, file.flags);
  const path = rolloutLayerPath(configFile);
  await writeFileAtomic(path, `${JSON.stringify(layer, null, 2)}\n`).catch((cause: unknown) => {
    throw new DeployError('config', `Cannot write rollout layer: ${path}: ${describeError(cause)}`, { cause });
  });
  if (enableFlag) await applyFlagEdits(configFile, [{ flag, field: 'enabled', value: true }]);
  return base;
}

/**
 * Why the state's stage cannot be served (a missing flag, a file someone broke by hand, a merged
 * result that is no valid Genesis document), or `undefined`. A rollback is never blocked.
 */
export async function findFlagFileProblem(state: DeploymentState): Promise<string | undefined> {
  if (state.applied || state.status === 'rolled_back') return undefined;
  try {
    const file = await readFlagFile(state.plan.configFile);
    return findStageProblemIn(state, JSON.parse(file.text), file.flags, file.path);
  } catch (cause) {
    return describeError(cause);
  }
}

/** {@link findFlagFileProblem} over a parsed Genesis document and its flags, wherever they are kept (`origin`). */
export function findStageProblemIn(
  state: DeploymentState,
  document: unknown,
  flags: Readonly<Record<string, JsonObjectLike>>,
  origin: string,
): string | undefined {
  const people = flags[state.plan.flag];
  if (people === undefined) return `Flag not found: ${state.plan.flag} in ${origin}`;
  const entry = stageEntry(state.flagBase ?? rolloutFieldsOf(people), state.percentage);
  const merged = applyRolloutLayer(document, {
    version: 1,
    deployment: state.id,
    flags: { [state.plan.flag]: { ...entry, base: rolloutFieldsOf(people) } },
  });
  const checked = readGenesisDocument(merged, origin);
  return checked.ok ? undefined : `the stage would make ${checked.error}`;
}

/** How a person changed the flag since the rollout's layer was written over it, if they did. */
export async function findFlagDrift(state: DeploymentState): Promise<FlagDrift | undefined> {
  const { plan, flagBase } = state;
  if (flagBase === null) return undefined;
  try {
    return describeDrift(plan.flag, flagBase, (await readFlagFile(plan.configFile)).flags[plan.flag], plan.configFile);
  } catch (cause) {
    return { description: `flag file unreadable: ${describeError(cause)}`, turnedOff: false };
  }
}

/** The rollout layer of a flag file as stored, or `undefined` when there is none. */
export async function readRolloutLayer(configFile: string): Promise<RolloutLayer | undefined> {
  const path = rolloutLayerPath(configFile);
  const text = await readFile(path, 'utf8').catch(() => '');
  const parsed = parseRolloutLayer(text, path);
  if (!parsed.ok) throw new DeployError('state', parsed.error);
  return parsed.value;
}
