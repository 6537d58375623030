import type { ErrorObject } from 'ajv';
import type { SchemaLandmarks } from './schema-landmarks.js';

/** Plain-language messages for ajv errors that all concern the same place in a document. */
export function describeSchemaErrors(errors: readonly ErrorObject[], landmarks: SchemaLandmarks): string[] {
  const unknownKeys = errors.filter((error) => error.keyword === 'additionalProperties');
  const types = errors.filter((error) => error.keyword === 'type' && error.propertyName === undefined);
  const others = errors.filter((error) => !unknownKeys.includes(error) && !types.includes(error));
  const messages = others.map((error) => describeOne(error, landmarks));
  if (unknownKeys.length > 0) messages.push(...describeUnknownKeys(unknownKeys, landmarks));
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
      return `must be ${alternatives((params['allowedValues'] as unknown[]).map(plain))}`;
    case 'pattern': {
      const message = landmarks.patternMessages.get(error.parentSchema) ?? `must match the pattern ${String(params['pattern'])}`;
      return key === undefined ? message : `key ${JSON.stringify(key)} ${message}`;
    }
    case 'const':
      return key === undefined ? `must be ${plain(params['allowedValue'])}` : `may not hold ${JSON.stringify(key)} here`;
    case 'minProperties':
    case 'minLength':
      return params['limit'] === 1 ? 'must not be empty' : `must have at least ${String(params['limit'])} entries`;
    case 'maxProperties':
      return error.parentSchema === landmarks.emptyObjectNode ? 'must be empty' : `must have at most ${String(params['limit'])} entries`;
    case 'minItems':
      return `must have at least ${count(params['limit'], 'item')}`;
    case 'maxItems':
      return `must have at most ${count(params['limit'], 'item')}`;
    case 'not':
      return error.parentSchema === landmarks.operandNode ? 'must not be an empty object' : 'matches a form that is not allowed here';
    case 'minimum':
      return `must be ${String(params['comparison'])} ${String(params['limit'])}`;
    default:
      return error.message ?? `breaks the schema rule "${error.keyword}"`;
  }
}

/**
 * Each operator group of the targeting schema reports every key it does not hold. A key no group holds
 * is an unknown operator; if all keys are known, the object mixes operators that may not share it.
 */
function describeUnknownKeys(errors: readonly ErrorObject[], landmarks: SchemaLandmarks): string[] {
  const keys = [...new Set(errors.map((error) => String((error.params as Record<string, unknown>)['additionalProperty'])))];
  const unknown = keys.filter((key) => !landmarks.operators.has(key));
  if (unknown.length > 0) return unknown.map((key) => `unknown operator ${JSON.stringify(key)}`);
  if (keys.length === 1) return [`may not hold ${JSON.stringify(keys[0])} here`];
  return [`holds operators that cannot share one object: ${keys.join(', ')}`];
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
