import { readFile } from 'node:fs/promises';
import { describeError } from '../../flagd/describe-error.js';
import { writeFileAtomic } from '../../flagd/sources/write-file-atomic.js';
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
import { applyFlagEdits, readFlagFile, type FlagFile } from './flag-file.js';
import { describeDrift, rollbackEntries, stageEntry, type FlagDrift } from './rollout-edits.js';

/**
 * Brings the rollout layer in line with the state: the stage's exposure, or the rollback. The people's
 * flag file is not written, except once at the start when the flag was off there (the person's own
 * `deploy start` turns it on, after the layer already holds it at stage 0). Returns the base the
 * layer was written over (captured now when the state had none).
 */
export async function writeStateToLayer(state: DeploymentState): Promise<RolloutFieldValues> {
  const { configFile, flag, rollbackFlags } = state.plan;
  const file = await readFlagFile(configFile);
  const people = file.flags[flag];
  if (people === undefined) throw new DeployError('config', `Flag not found: ${flag} in ${configFile}`);
  const captured = rolloutFieldsOf(people);
  const base = state.flagBase ?? (state.enableInFile ? { ...captured, enabled: true } : captured);
  const flags =
    state.status === 'rolled_back'
      ? rollbackEntries(flag, state.flagBase ?? captured, rollbackFlags, file.flags)
      : { [flag]: stageEntry(base, state.percentage) };
  const layer: RolloutLayer = { version: 1, deployment: state.id, flags };
  const path = rolloutLayerPath(configFile);
  await writeFileAtomic(path, `${JSON.stringify(layer, null, 2)}\n`).catch((cause: unknown) => {
    throw new DeployError('config', `Cannot write rollout layer: ${path}: ${describeError(cause)}`, { cause });
  });
  if (state.enableInFile && state.status !== 'rolled_back' && captured.enabled === false)
    await applyFlagEdits(configFile, [{ flag, field: 'enabled', value: true }]);
  return state.status === 'rolled_back' ? (state.flagBase ?? captured) : base;
}

/**
 * Why the state's stage cannot be served (a missing flag, a file someone broke by hand, a merged
 * result that is no valid Genesis document), or `undefined`. A rollback is never blocked.
 */
export async function findFlagFileProblem(state: DeploymentState): Promise<string | undefined> {
  if (state.applied || state.status === 'rolled_back') return undefined;
  try {
    const file = await readFlagFile(state.plan.configFile);
    const people = file.flags[state.plan.flag];
    if (people === undefined) return `Flag not found: ${state.plan.flag} in ${file.path}`;
    return checkMerged(file, stageEntry(state.flagBase ?? rolloutFieldsOf(people), state.percentage), state);
  } catch (cause) {
    return describeError(cause);
  }
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

function checkMerged(file: FlagFile, entry: ReturnType<typeof stageEntry>, state: DeploymentState): string | undefined {
  const merged = applyRolloutLayer(JSON.parse(file.text), {
    version: 1,
    deployment: state.id,
    flags: { [state.plan.flag]: { ...entry, base: rolloutFieldsOf(file.flags[state.plan.flag] ?? {}) } },
  });
  const checked = readGenesisDocument(merged, file.path);
  return checked.ok ? undefined : `the stage would make ${checked.error}`;
}
