import { flagdSchemaTexts, type SchemaNode } from './flagd-schemas.js';

/**
 * Schema nodes that explanations treat specially, recognised by identity: ajv reports the node an
 * error came from as `parentSchema`, and error paths alone cannot tell two rules at one place apart.
 */
export interface SchemaLandmarks {
  /** The operator-name list: a key outside it is an unknown operator. */
  readonly operatorNameNode: unknown;
  /** A reference's key check (only `$ref` allowed) and its value check. */
  readonly referenceKeyNode: unknown;
  readonly referenceValueNode: unknown;
  /** The `variants` node, whose one-type-only rule gets a single summary instead of one error per type. */
  readonly variantsNode: unknown;
  /** The node forbidding an empty object as an operand. */
  readonly objectOperandNode: unknown;
  /** Plain-language explanations of patterns, by the node holding the pattern. */
  readonly patternMessages: ReadonlyMap<unknown, string>;
}

let landmarks: SchemaLandmarks | undefined;

export function schemaLandmarks(): SchemaLandmarks {
  landmarks ??= findLandmarks();
  return landmarks;
}

function findLandmarks(): SchemaLandmarks {
  const { flags, targeting } = flagdSchemaTexts();
  const reference = definition(targeting.$defs, 'evaluatorReference');
  const varCheck = child(child(child(definition(targeting.$defs, 'varOperation'), 'properties'), 'var'), 'then');
  return {
    operatorNameNode: definition(targeting.$defs, 'operatorName'),
    referenceKeyNode: reference['propertyNames'],
    referenceValueNode: reference['additionalProperties'],
    variantsNode: definition(flags.$defs, 'variants'),
    objectOperandNode: child(definition(targeting.$defs, 'operand'), 'then'),
    patternMessages: new Map<unknown, string>([
      [definition(targeting.$defs, 'semanticVersion'), 'must be a semantic version such as 1.2.3 or 2.0.0-rc.1'],
      [varCheck, 'names no $flagd property: flagd provides only $flagd.timestamp and $flagd.flagKey'],
      [definition(flags.$defs, 'nonEmptyKey'), 'must be at least one character, on one line'],
    ]),
  };
}

function definition(definitions: Readonly<Record<string, SchemaNode>>, name: string): SchemaNode {
  const node = definitions[name];
  if (node === undefined) throw new Error(`The flagd schemas define no $defs/${name}`);
  return node;
}

function child(node: SchemaNode, key: string): SchemaNode {
  const value = node[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`The flagd schema node has no ${key}`);
  return value as SchemaNode;
}
