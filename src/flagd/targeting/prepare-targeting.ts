import { FRACTIONAL_RULE } from './fractional.js';
import { BOUND_FRACTIONAL_RULE, isFlagdOperator } from './targeting-engine.js';

/** Deepest nesting of arrays and objects a rule may have; deeper rules are a PARSE_ERROR. */
export const MAX_TARGETING_DEPTH = 128;
/** Most arrays and objects a rule may contain (shared subtrees count each time they are reached). */
export const MAX_TARGETING_NODES = 100_000;

/** A rule ready for the engine: `$flagd.flagKey` and `fractional` bound to the flag key. */
export interface PreparedTargeting {
  readonly tree: unknown;
  /** Whether the rule can read `$flagd` (beyond the bound flag key) or the whole data object. */
  readonly injectsFlagdProperties: boolean;
}

const FLAG_KEY_PATH = '$flagd.flagKey';
const DATA_READERS = new Set(['var', 'missing', 'missing_some']);
// Operators whose arguments after the first run against another data value (an item, or the
// accumulator and current item), where `var` does not address the evaluation data.
const SCOPE_CHANGERS = new Set(['map', 'filter', 'reduce', 'all', 'some', 'none']);

interface Walk {
  readonly flagKey: string;
  nodes: number;
  injects: boolean;
}

class TargetingShapeError extends Error {}

/**
 * Checks a rule against the limits and rewrites it for compilation without changing what it
 * means: `{"var": "$flagd.flagKey"}` becomes the flag key itself and `fractional` carries the
 * flag key, so most rules need no `$flagd` object at evaluation. Returns an error message for a
 * rule over the limits, with an object of several keys where an operation belongs, or naming
 * an operator outside flagd's set (the internal bound form of `fractional` included). Recursion stops at
 * the depth limit, so no input can overflow the stack.
 */
export function prepareTargeting(targeting: unknown, flagKey: string): PreparedTargeting | string {
  const walk: Walk = { flagKey, nodes: 0, injects: false };
  try {
    const tree = rewrite(targeting, 0, true, walk);
    return { tree, injectsFlagdProperties: walk.injects };
  } catch (error) {
    if (error instanceof TargetingShapeError) return `Targeting of flag '${flagKey}' ${error.message}`;
    throw error;
  }
}

function enter(depth: number, walk: Walk): void {
  if (depth >= MAX_TARGETING_DEPTH) throw new TargetingShapeError(`nests deeper than ${MAX_TARGETING_DEPTH} levels`);
  if (++walk.nodes > MAX_TARGETING_NODES) throw new TargetingShapeError(`has more than ${MAX_TARGETING_NODES} nodes`);
}

function rewrite(node: unknown, depth: number, rootScope: boolean, walk: Walk): unknown {
  if (typeof node !== 'object' || node === null) return node;
  enter(depth, walk);
  if (Array.isArray(node)) return node.map((item: unknown) => rewrite(item, depth + 1, rootScope, walk));
  const keys = Object.keys(node);
  if (keys.length === 0) return {};
  if (keys.length > 1)
    throw new TargetingShapeError(
      `has an object with several keys (${keys.slice(0, 3).join(', ')}) where one operation belongs`,
    );
  const operator = keys[0] as string;
  return rewriteOperation(operator, (node as Record<string, unknown>)[operator], depth, rootScope, walk);
}

function rewriteOperation(operator: string, args: unknown, depth: number, rootScope: boolean, walk: Walk): unknown {
  if (!isFlagdOperator(operator)) throw new TargetingShapeError(`uses unknown operator '${operator}'`);
  if (operator === 'var' && rootScope && isFlagKeyPath(args)) return walk.flagKey;
  if (DATA_READERS.has(operator) && readsBeyondContext(operator, args)) walk.injects = true;
  const rewritten = rewriteArguments(operator, args, depth + 1, rootScope, walk);
  if (operator === FRACTIONAL_RULE) return { [BOUND_FRACTIONAL_RULE]: [walk.flagKey, rewritten] };
  // fromEntries defines the key as data even when it is "__proto__".
  return Object.fromEntries([[operator, rewritten]]);
}

function rewriteArguments(operator: string, args: unknown, depth: number, rootScope: boolean, walk: Walk): unknown {
  const changesScope = SCOPE_CHANGERS.has(operator);
  if (!Array.isArray(args)) return rewrite(args, depth, rootScope && !changesScope, walk);
  enter(depth, walk);
  return args.map((item: unknown, index) =>
    rewrite(item, depth + 1, rootScope && (index === 0 || !changesScope), walk),
  );
}

function isFlagKeyPath(args: unknown): boolean {
  if (!Array.isArray(args)) return args === FLAG_KEY_PATH;
  return args[0] === FLAG_KEY_PATH && args.length <= 2 && (typeof args[1] !== 'object' || args[1] === null);
}

/**
 * Whether a data-reading operator could see `$flagd` or the whole data object: an empty path
 * (the data itself), a computed path, or a path naming `$flagd`.
 */
function readsBeyondContext(operator: string, args: unknown): boolean {
  if (operator !== 'missing' && operator !== 'missing_some') {
    const path: unknown = Array.isArray(args) ? args[0] : args;
    if (path === undefined || path === null || path === '' || Array.isArray(path)) return true;
  }
  return mentionsBeyondContext(args, 0);
}

function mentionsBeyondContext(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return value.includes('$flagd');
  if (typeof value !== 'object' || value === null) return false;
  if (!Array.isArray(value) || depth > 2) return true;
  return value.some((item: unknown) => mentionsBeyondContext(item, depth + 1));
}
