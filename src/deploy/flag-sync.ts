import { describeError } from '../flagd/describe-error.js';
import type { DeploymentState } from './deployment-state.js';
import { applyFlagEdits, editFlagText, readFlagFile, type FlagFieldEdit } from './flag-file.js';
import { describeDrift, rollbackEdits, stageEdits } from './rollout-edits.js';

/** Brings the flag file in line with the state: the stage's exposure, or the rollback. */
export async function writeStateToFlagFile(state: DeploymentState): Promise<void> {
  const { configFile } = state.plan;
  await applyFlagEdits(configFile, await editsFor(state), { allowInvalid: state.status === 'rolled_back' });
}

/**
 * Why the state's stage cannot be written to the flag file (a missing flag, a file someone broke
 * by hand), or `undefined` when it can. A rollback is always attempted, so it is never blocked.
 */
export async function findFlagFileProblem(state: DeploymentState): Promise<string | undefined> {
  if (state.applied || state.status === 'rolled_back') return undefined;
  try {
    const file = await readFlagFile(state.plan.configFile);
    const edited = editFlagText(file, stageEdits(state.plan.flag, state.percentage, file.flags[state.plan.flag] ?? {}));
    return edited.ok ? undefined : edited.error;
  } catch (cause) {
    return describeError(cause);
  }
}

/** How the flag in the file differs from the state's stage, if it does (someone changed it by hand). */
export async function findFlagDrift(state: DeploymentState): Promise<string | undefined> {
  const { plan, percentage } = state;
  try {
    return describeDrift(plan.flag, percentage, (await readFlagFile(plan.configFile)).flags[plan.flag]);
  } catch (cause) {
    return `flag file unreadable: ${describeError(cause)}`;
  }
}

async function editsFor(state: DeploymentState): Promise<FlagFieldEdit[]> {
  const { flag, rollbackFlags, configFile } = state.plan;
  if (state.status === 'rolled_back') return rollbackEdits(flag, rollbackFlags);
  const file = await readFlagFile(configFile);
  return stageEdits(flag, state.percentage, file.flags[flag] ?? {});
}
