import { parseRequirement } from '../../genesis/check-requires.js';
import type { JsonObjectLike } from '../../document/json-object.js';
import { rolloutFieldsOf } from '../../loading/rollout-layer.js';

/** Keys that name a flag meant to switch something off in an emergency rather than to roll a feature out. */
const EMERGENCY_KEY = /(^|[_.-])(kill[_-]?switch|emergency|maintenance|read[_-]?only|shutdown)([_.-]|$)/i;

/**
 * Why rolling `flag` out needs `--force`, or `undefined`: a rollout that would reach nobody because
 * a parent in `requires` is the wrong way round for it, or a rollout of an emergency flag (a kill
 * switch, maintenance or read-only mode: turning one of those on for a growing share of users is
 * rarely what anyone means).
 */
export function findRolloutHazard(flag: string, flags: Readonly<Record<string, JsonObjectLike>>): string | undefined {
  const own = flags[flag];
  if (own === undefined) return undefined;
  if (own['category'] === 'emergency')
    return `${flag} is an emergency flag (category "emergency"): a gradual rollout would switch it on for a growing share of users`;
  if (EMERGENCY_KEY.test(flag))
    return `${flag} is named like an emergency flag (kill switch, maintenance, read-only): a gradual rollout would switch it on for a growing share of users`;
  const blocked = blockingParent(flag, flags, new Set());
  return blocked === undefined ? undefined : `the rollout would reach nobody: ${blocked}`;
}

/** The first parent, direct or further up, that keeps the flag off for everyone. */
function blockingParent(
  key: string,
  flags: Readonly<Record<string, JsonObjectLike>>,
  seen: Set<string>,
): string | undefined {
  if (seen.has(key)) return undefined;
  seen.add(key);
  const requires = flags[key]?.['requires'];
  for (const entry of Array.isArray(requires) ? requires : []) {
    if (typeof entry !== 'string') continue;
    const parent = parseRequirement(entry);
    const parentFlag = flags[parent.key];
    if (parentFlag === undefined) continue;
    const on = rolloutFieldsOf(parentFlag).enabled !== false;
    if (parent.mustBe === 'on' && !on) return `${key} requires ${parent.key}, which is off (enabled: false)`;
    if (parent.mustBe === 'off' && on) return `${key} requires ${parent.key} to be off, and it is on`;
    const further = parent.mustBe === 'on' ? blockingParent(parent.key, flags, seen) : undefined;
    if (further !== undefined) return further;
  }
  return undefined;
}
