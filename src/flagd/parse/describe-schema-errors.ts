import type { ErrorObject } from 'ajv';
import type { SchemaLandmarks } from './schema-landmarks.js';

/** Plain-language messages for ajv errors that all concern the same place in a document. */
export function describeSchemaErrors(errors: readonly ErrorObject[], landmarks: SchemaLandmarks): string[] {
  const extraKeys = errors.filter((error) => error.keyword === 'additionalProperties');
  const types = errors.filter((error) => error.keyword === 'type' && error.propertyName === undefined);
  const others = errors.filter((error) => !extraKeys.includes(error) && !types.includes(error));
  const messages = others.map((error) => describeOne(error, landmarks));
  if (extraKeys.length > 0) messages.push(describeExtraKeys(extraKeys));
  if (types.length > 0) messages.push(`must be ${alternatives(types.flatMap(typeNames))}`);
  return [...new Set(messages)];
}

function describeOne(error: ErrorObject, landmarks: SchemaLandmarks): string {
  const params = error.params as Record<string, unknown>;
  const key = error.propertyName;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'enum':
      if (error.parentSchema === landmarks.operatorNameNode) return `unknown operator ${JSON.stringify(key)}`;
      return `must be ${alternatives((params['allowedValues'] as unknown[]).map(plain))}`;
    case 'pattern': {
      const message =
        landmarks.patternMessages.get(error.parentSchema) ?? `must match the pattern ${String(params['pattern'])}`;
      return key === undefined ? message : `key ${JSON.stringify(key)} ${message}`;
    }
    case 'const':
      if (error.parentSchema === landmarks.referenceKeyNode)
        return `a {"$ref": name} object holds nothing else, found ${JSON.stringify(key)}`;
      return key === undefined
        ? `must be ${plain(params['allowedValue'])}`
        : `may not hold ${JSON.stringify(key)} here`;
    case 'minProperties':
    case 'minLength':
      return params['limit'] === 1 ? 'must not be empty' : `must have at least ${String(params['limit'])} entries`;
    case 'maxProperties':
      return `must have at most ${String(params['limit'])} entries`;
    case 'minItems':
      return `must have at least ${count(params['limit'], 'item')}`;
    case 'maxItems':
      return `must have at most ${count(params['limit'], 'item')}`;
    case 'not':
      return error.parentSchema === landmarks.objectOperandNode
        ? 'must not be an empty object'
        : 'matches a form that is not allowed here';
    case 'minimum':
      return `must be ${String(params['comparison'])} ${String(params['limit'])}`;
    default:
      return error.message ?? `breaks the schema rule "${error.keyword}"`;
  }
}

/**
 * A rule object whose operators belong to different groups fails each group's check on the others'
 * operators; together they name what may not share the object.
 */
function describeExtraKeys(errors: readonly ErrorObject[]): string {
  const keys = [
    ...new Set(errors.map((error) => String((error.params as Record<string, unknown>)['additionalProperty']))),
  ];
  if (keys.length === 1) return `may not hold ${JSON.stringify(keys[0])} here`;
  return `holds operators that cannot share one object: ${keys.join(', ')}`;
}

function typeNames(error: ErrorObject): string[] {
  const type = (error.params as Record<string, unknown>)['type'];
  return Array.isArray(type) ? type.map(String) : String(type).split(',');
}

function alternatives(values: readonly string[]): string {
  const unique = [...new Set(values)];
  if (unique.length <= 1) return unique.join('');
  if (unique.length === 2) return `${unique[0]} or ${unique[1]}`;
  return `one of: ${unique.join(', ')}`;
}

function plain(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function count(limit: unknown, noun: string): string {
  return limit === 1 ? `1 ${noun}` : `${String(limit)} ${noun}s`;
}
