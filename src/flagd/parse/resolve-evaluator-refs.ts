import type { Result } from '../../errors/result.js';
import type { JsonValue } from '../model.js';
import { MAX_TARGETING_DEPTH, MAX_TARGETING_NODES } from '../targeting/prepare-targeting.js';
import { isJsonObject } from '../../document/json-object.js';

/**
 * Resolves the `$ref`s of one targeting tree against the document's `$evaluators`: the tree with every
 * `{"$ref": name}` replaced, or why that failed.
 */
export type RefResolver = (targeting: unknown) => Result<JsonValue>;

interface Expanded {
  readonly value: JsonValue;
  /** Arrays and objects, as the compiler counts them: shared rules referencing each other can grow exponentially. */
  readonly nodes: number;
  /** Levels of arrays and objects, as the compiler counts the depth limit: a scalar has none. */
  readonly height: number;
}
type Step = Expanded | { readonly problem: string };

interface Context {
  readonly evaluators: ReadonlyMap<string, unknown>;
  /** Each evaluator expanded once per document; flags share the result, which is read-only. */
  readonly expanded: Map<string, Expanded>;
}

/**
 * Resolution works on the parsed tree, never on JSON text: a reference is an object whose only
 * property is `$ref` with a string value, found at any depth. References inside evaluators resolve
 * too; a cycle or a name missing from `$evaluators` fails only the flag that reaches it.
 */
export function createRefResolver(evaluators: ReadonlyMap<string, unknown>): RefResolver {
  const context: Context = { evaluators, expanded: new Map() };
  return (targeting) => {
    const step = expand(targeting, 0, [], context);
    return 'problem' in step ? { ok: false, error: step.problem } : { ok: true, value: step.value };
  };
}

/**
 * `depth` counts the arrays and objects above `node`, with the compiler's limit (`prepareTargeting`), so
 * a tree the compiler accepts always expands; the limit here also bounds this recursion.
 */
function expand(node: unknown, depth: number, chain: readonly string[], context: Context): Step {
  // A scalar is no node: a list of 100,000 user IDs is one array, not 100,001 nodes.
  if (!Array.isArray(node) && !isJsonObject(node)) return { value: node as JsonValue, nodes: 0, height: 0 };
  if (depth >= MAX_TARGETING_DEPTH) return { problem: `targeting nests deeper than ${MAX_TARGETING_DEPTH} levels` };
  if (Array.isArray(node))
    return expandChildren(
      node.map((item, index) => [index, item] as const),
      depth,
      chain,
      context,
      true,
    );
  const name = referenceName(node);
  if (name === undefined) return expandChildren(Object.entries(node), depth, chain, context, false);
  const reference = expandReference(name, depth, chain, context);
  if ('problem' in reference) return reference;
  if (depth + reference.height > MAX_TARGETING_DEPTH)
    return { problem: `targeting nests deeper than ${MAX_TARGETING_DEPTH} levels` };
  return reference;
}

function expandChildren(
  children: ReadonlyArray<readonly [string | number, unknown]>,
  depth: number,
  chain: readonly string[],
  context: Context,
  asArray: boolean,
): Step {
  const entries: [string | number, JsonValue][] = [];
  let nodes = 1;
  let height = 1;
  for (const [key, child] of children) {
    const step = expand(child, depth + 1, chain, context);
    if ('problem' in step) return step;
    nodes += step.nodes;
    if (nodes > MAX_TARGETING_NODES) return { problem: `targeting expands to more than ${MAX_TARGETING_NODES} nodes` };
    height = Math.max(height, step.height + 1);
    entries.push([key, step.value]);
  }
  // Object.fromEntries defines properties, so a `__proto__` key stays a plain key and never sets a prototype.
  const value = asArray ? entries.map(([, item]) => item) : (Object.fromEntries(entries) as JsonValue);
  return { value, nodes, height };
}

function expandReference(name: string, depth: number, chain: readonly string[], context: Context): Step {
  if (chain.includes(name))
    return { problem: `$ref cycle: ${[...chain.slice(chain.indexOf(name)), name].join(' -> ')}` };
  const done = context.expanded.get(name);
  if (done !== undefined) return done;
  if (!context.evaluators.has(name)) return { problem: `$ref ${JSON.stringify(name)} names no entry of $evaluators` };
  // Expanded at the depth of the reference, so the depth limit also bounds this recursion; the result
  // itself does not depend on that depth, so it is kept for every later reference.
  const step = expand(context.evaluators.get(name), depth, [...chain, name], context);
  if (!('problem' in step)) context.expanded.set(name, step);
  return step;
}

function referenceName(node: Readonly<Record<string, unknown>>): string | undefined {
  const keys = Object.keys(node);
  const name = node['$ref'];
  return keys.length === 1 && keys[0] === '$ref' && typeof name === 'string' ? name : undefined;
}
