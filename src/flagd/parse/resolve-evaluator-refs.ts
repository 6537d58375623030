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
 * a tree the compiler accepts always expands; the limit here also bounds this recursion. A subtree
 * without references is returned as it is, not copied: most rules have none, and copying every rule of
 * a large document was a tenth of its load, most of it in garbage collection.
 */
function expand(node: unknown, depth: number, chain: readonly string[], context: Context): Step {
  // A scalar is no node: a list of 100,000 user IDs is one array, not 100,001 nodes.
  if (!isContainer(node)) return { value: node as JsonValue, nodes: 0, height: 0 };
  if (depth >= MAX_TARGETING_DEPTH) return { problem: `targeting nests deeper than ${MAX_TARGETING_DEPTH} levels` };
  if (!isJsonObject(node)) return expandArray(node as readonly unknown[], depth, chain, context);
  const name = referenceName(node);
  if (name === undefined) return expandObject(node, depth, chain, context);
  const reference = expandReference(name, depth, chain, context);
  if ('problem' in reference) return reference;
  if (depth + reference.height > MAX_TARGETING_DEPTH)
    return { problem: `targeting nests deeper than ${MAX_TARGETING_DEPTH} levels` };
  return reference;
}

function isContainer(node: unknown): node is readonly unknown[] | Readonly<Record<string, unknown>> {
  return Array.isArray(node) || isJsonObject(node);
}

/** The arrays and objects of a container's children, counted as `expand` counts them, and their expansions. */
class ChildSteps {
  nodes = 1;
  height = 1;

  /** An array or object child expanded, or the problem that ends the whole expansion. A scalar adds nothing. */
  add(child: object, depth: number, chain: readonly string[], context: Context): Step {
    const step = expand(child, depth + 1, chain, context);
    if ('problem' in step) return step;
    this.nodes += step.nodes;
    if (this.nodes > MAX_TARGETING_NODES)
      return { problem: `targeting expands to more than ${MAX_TARGETING_NODES} nodes` };
    this.height = Math.max(this.height, step.height + 1);
    return step;
  }
}

function expandArray(array: readonly unknown[], depth: number, chain: readonly string[], context: Context): Step {
  const steps = new ChildSteps();
  let copy: JsonValue[] | undefined;
  for (let index = 0; index < array.length; index++) {
    const child = array[index];
    if (!isContainer(child)) continue;
    const step = steps.add(child, depth, chain, context);
    if ('problem' in step) return step;
    if (step.value !== child) {
      copy ??= [...array] as JsonValue[];
      copy[index] = step.value;
    }
  }
  return { value: (copy ?? array) as JsonValue, nodes: steps.nodes, height: steps.height };
}

function expandObject(
  object: Readonly<Record<string, unknown>>,
  depth: number,
  chain: readonly string[],
  context: Context,
): Step {
  const steps = new ChildSteps();
  let replaced: Map<string, JsonValue> | undefined;
  for (const key of Object.keys(object)) {
    const child = object[key];
    if (!isContainer(child)) continue;
    const step = steps.add(child, depth, chain, context);
    if ('problem' in step) return step;
    if (step.value !== child) (replaced ??= new Map()).set(key, step.value);
  }
  if (replaced === undefined) return { value: object as JsonValue, nodes: steps.nodes, height: steps.height };
  const changes = replaced;
  // Object.fromEntries defines properties, so a `__proto__` key stays a plain key and never sets a prototype.
  const value = Object.fromEntries(
    Object.entries(object).map(([key, child]) => [key, changes.has(key) ? changes.get(key) : child]),
  ) as JsonValue;
  return { value, nodes: steps.nodes, height: steps.height };
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
