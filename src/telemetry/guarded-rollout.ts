import type { FlagMetadata } from '../flagd/model.js';

/** The Genesis strategies that serve the flag to a share of users: what a deployment rolls out. */
const ROLLOUT_STRATEGIES: ReadonlySet<unknown> = new Set(['percentage', 'canary', 'progressive']);

/**
 * Whether tracked events are attributed to this flag's variants. The Genesis translation writes the
 * strategy into the flag's metadata (`strategy: percentage | canary | progressive` for a share of
 * users, which is what `deploy` stages); any flagd flag can opt in with `"guardedRollout": true` in
 * its metadata. Only these flags are re-evaluated on `track`, keeping its cost to the flags that a
 * gate may be judging.
 */
export function isGuardedRollout(metadata: FlagMetadata): boolean {
  return metadata['guardedRollout'] === true || ROLLOUT_STRATEGIES.has(metadata['strategy']);
}
