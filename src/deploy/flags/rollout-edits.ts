import type { JsonObjectLike } from '../../document/json-object.js';
import {
  ROLLOUT_FIELDS,
  rolloutFieldsOf,
  type RolloutFieldValues,
  type RolloutLayerEntry,
} from '../../loading/rollout-layer.js';

/**
 * The layer entry that puts `flag` at `percentage` over the people's fields `base`. A canary flag
 * stays canary (its listed users and regions stay on; the percentage applies to everyone else). The
 * entry never sets `enabled`: `enabled: false` in the people's file beats every stage.
 */
export function stageEntry(base: RolloutFieldValues, percentage: number): RolloutLayerEntry {
  const strategy = base.rollout_strategy === 'canary' ? 'canary' : 'percentage';
  return { base, set: { rollout_strategy: strategy, rollout_percentage: roundPercentage(percentage) } };
}

/** The entries of a rollback: the flag off at 0%, and every companion flag off, in one write. */
export function rollbackEntries(
  flag: string,
  base: RolloutFieldValues,
  rollbackFlags: readonly string[],
  people: Readonly<Record<string, JsonObjectLike>>,
): Record<string, RolloutLayerEntry> {
  const entries: Record<string, RolloutLayerEntry> = {};
  for (const other of rollbackFlags) {
    const flagOf = people[other];
    if (flagOf !== undefined) entries[other] = { base: rolloutFieldsOf(flagOf), set: { enabled: false } };
  }
  entries[flag] = { base, set: { enabled: false, rollout_percentage: 0 } };
  return entries;
}

/** How a person changed the flag's rollout fields since the rollout took them as its base. */
export interface FlagDrift {
  readonly description: string;
  /** The edit turned the flag off (`enabled: false`, or removed it): the rollout rolls back. */
  readonly turnedOff: boolean;
}

/**
 * Why the flag in the people's file is no longer what the rollout was built on, or `undefined`: the
 * sign that someone changed it by hand. Their edit already wins (the layer stops applying to the
 * flag); the controller must notice and stop too.
 */
export function describeDrift(
  flag: string,
  base: RolloutFieldValues,
  current: JsonObjectLike | undefined,
  file: string,
): FlagDrift | undefined {
  if (current === undefined) return { description: `flag ${flag} was removed from ${file}`, turnedOff: true };
  const now = rolloutFieldsOf(current);
  const differences = ROLLOUT_FIELDS.filter((field) => JSON.stringify(now[field]) !== JSON.stringify(base[field])).map(
    (field) => `${field} ${JSON.stringify(base[field])} → ${JSON.stringify(now[field])}`,
  );
  if (differences.length === 0) return undefined;
  return {
    description: `flag ${flag} was changed by hand in ${file}: ${differences.join(', ')}`,
    turnedOff: now.enabled === false,
  };
}

/** Percentages are kept to the 0.01 precision Genesis allows. */
function roundPercentage(percentage: number): number {
  return Math.round(percentage * 100) / 100;
}
