import { readFlagField, type FlagFieldEdit } from './flag-file.js';

/**
 * The edits that put `flag` at `percentage`: enabled, with a percentage rollout. A canary flag
 * stays canary (its listed users and regions stay on; the percentage applies to everyone else).
 */
export function stageEdits(
  flag: string,
  percentage: number,
  current: Readonly<Record<string, unknown>>,
): FlagFieldEdit[] {
  const strategy = readFlagField(current, 'rollout_strategy') === 'canary' ? 'canary' : 'percentage';
  return [
    { flag, field: 'enabled', value: true },
    { flag, field: 'rollout_strategy', value: strategy },
    { flag, field: 'rollout_percentage', value: roundPercentage(percentage) },
  ];
}

/** The edits of a rollback: the flag off at 0%, and every companion flag off, in one write. */
export function rollbackEdits(flag: string, rollbackFlags: readonly string[]): FlagFieldEdit[] {
  return [
    { flag, field: 'enabled', value: false },
    { flag, field: 'rollout_percentage', value: 0 },
    ...rollbackFlags.map((other): FlagFieldEdit => ({ flag: other, field: 'enabled', value: false })),
  ];
}

/**
 * Why the flag in the file is not where the deployment put it, or `undefined` when it is: the
 * sign that someone changed it by hand, which the controller must not silently undo.
 */
export function describeDrift(
  flag: string,
  percentage: number,
  current: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  if (current === undefined) return `flag ${flag} is no longer in the file`;
  const differences = stageEdits(flag, percentage, current)
    .filter((edit) => readFlagField(current, edit.field) !== edit.value)
    .map(
      (edit) =>
        `${edit.field} is ${JSON.stringify(readFlagField(current, edit.field))}, expected ${JSON.stringify(edit.value)}`,
    );
  return differences.length === 0
    ? undefined
    : `flag ${flag} was changed outside the deployment: ${differences.join(', ')}`;
}

/** Percentages are kept to the 0.01 precision Genesis allows. */
function roundPercentage(percentage: number): number {
  return Math.round(percentage * 100) / 100;
}
