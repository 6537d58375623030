import { flagdSchemaTexts, type SchemaNode } from './flagd-schemas.js';

/**
 * Schema nodes that explanations treat specially, recognised by identity: ajv reports the node an
 * error came from as `parentSchema`, and error paths alone cannot tell the branches of a choice apart.
 */
export interface SchemaLandmarks {
  /** The `{"$ref": name}` branch of an operand and its sub-nodes: noise unless the object has a `$ref`. */
  readonly referenceNodes: ReadonlySet<unknown>;
  /** The sub-node checking a reference's value; its errors sit one level below the reference object. */
  readonly referenceValueNode: unknown;
  /** The `variants` node, whose one-type-only rule gets a single summary instead of one error per branch. */
  readonly variantsNode: unknown;
  /** The empty-object branch of a whole targeting, whose "too many properties" is noise next to the rule's errors. */
  readonly emptyObjectNode: unknown;
  /** The operand node, whose only `not` forbids an empty object. */
  readonly operandNode: unknown;
  /** Plain-language explanations of patterns, by the node holding the pattern. */
  readonly patternMessages: ReadonlyMap<unknown, string>;
  /** Every operator the targeting schema knows, to tell an unknown operator from a misplaced one. */
  readonly operators: ReadonlySet<string>;
}

let landmarks: SchemaLandmarks | undefined;

export function schemaLandmarks(): SchemaLandmarks {
  landmarks ??= findLandmarks();
  return landmarks;
}

function findLandmarks(): SchemaLandmarks {
  const { flags, targeting } = flagdSchemaTexts();
  const reference = definition(targeting.$defs, 'evaluatorReference');
  const varOperation = definition(targeting.$defs, 'varOperation');
  const varCheck = child(child(child(varOperation, 'properties'), 'var'), 'then');
  return {
    referenceNodes: new Set([reference, reference['propertyNames'], reference['additionalProperties']]),
    referenceValueNode: reference['additionalProperties'],
    variantsNode: definition(flags.$defs, 'variants'),
    emptyObjectNode: definition(targeting.$defs, 'emptyObject'),
    operandNode: definition(targeting.$defs, 'operand'),
    patternMessages: new Map<unknown, string>([
      [definition(targeting.$defs, 'semanticVersion'), 'must be a semantic version such as 1.2.3 or 2.0.0-rc.1'],
      [varCheck, 'names no $flagd property: flagd provides only $flagd.timestamp and $flagd.flagKey'],
      [definition(flags.$defs, 'nonEmptyKey'), 'must be at least one character, on one line'],
    ]),
    operators: operatorNames(targeting.$defs),
  };
}

function operatorNames(definitions: Readonly<Record<string, SchemaNode>>): Set<string> {
  const names = new Set<string>();
  for (const node of Object.values(definitions)) {
    const properties = node['properties'];
    if (node['additionalProperties'] !== false || !isNode(properties)) continue;
    for (const name of Object.keys(properties)) names.add(name);
  }
  return names;
}

function definition(definitions: Readonly<Record<string, SchemaNode>>, name: string): SchemaNode {
  const node = definitions[name];
  if (node === undefined) throw new Error(`The flagd schemas define no $defs/${name}`);
  return node;
}

function child(node: SchemaNode, key: string): SchemaNode {
  const value = node[key];
  if (!isNode(value)) throw new Error(`The flagd schema node has no ${key}`);
  return value;
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
