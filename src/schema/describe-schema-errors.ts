import type { ErrorObject } from 'ajv';
import { didYouMean } from '../errors/did-you-mean.js';

/**
 * What the caller knows about its schema that ajv's errors do not say. The flagd and Genesis checks
 * share every other wording, so one document's problems read alike whichever format it is in.
 */
export interface SchemaHints {
  /** A message of the caller's own for an error at a schema node it knows (an operator name list), else undefined. */
  readonly special?: (error: ErrorObject) => string | undefined;
  /** What a failed `pattern` means (`must be an ISO 8601 date …`), else undefined: the pattern is shown. */
  readonly patternMessage?: (error: ErrorObject) => string | undefined;
  /**
   * An extra key is a mistyped field of a document (`is not a known field (did you mean …?)`, said of
   * the key) rather than a key an object may not hold (`may not hold "x" here`, said of the object).
   */
  readonly extraKeysAreFields?: boolean;
}

/** Plain-language messages for ajv errors that all concern the same place in a document. */
export function describeSchemaErrors(errors: readonly ErrorObject[], hints: SchemaHints = {}): string[] {
  const extraKeys = errors.filter((error) => error.keyword === 'additionalProperties');
  const types = errors.filter((error) => error.keyword === 'type' && error.propertyName === undefined);
  const others = errors.filter((error) => !extraKeys.includes(error) && !types.includes(error));
  const messages = others.map((error) => hints.special?.(error) ?? describeOne(error, hints));
  if (extraKeys.length > 0) messages.push(...describeExtraKeys(extraKeys, hints));
  if (types.length > 0) messages.push(`must be ${alternatives(types.flatMap(typeNames))}`);
  return [...new Set(messages)];
}

function describeOne(error: ErrorObject, hints: SchemaHints): string {
  const params = error.params as Record<string, unknown>;
  const key = error.propertyName;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'enum':
      return `must be ${alternatives((params['allowedValues'] as unknown[]).map(plain))}`;
    case 'pattern': {
      const message = hints.patternMessage?.(error) ?? `must match the pattern ${String(params['pattern'])}`;
      return key === undefined ? message : `key ${JSON.stringify(key)} ${message}`;
    }
    case 'const':
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
      return 'matches a form that is not allowed here';
    case 'minimum':
      return `must be ${String(params['comparison'])} ${String(params['limit'])}`;
    default:
      return error.message ?? `breaks the schema rule "${error.keyword}"`;
  }
}

/**
 * A rule object whose operators belong to different groups fails each group's check on the others'
 * operators; together they name what may not share the object. A document's mistyped field is named
 * with the closest known one.
 */
function describeExtraKeys(errors: readonly ErrorObject[], hints: SchemaHints): string[] {
  if (hints.extraKeysAreFields === true) {
    return errors.map((error) => {
      const field = extraKeyOf(error);
      return `is not a known field${didYouMean(field, knownFields(error))}`;
    });
  }
  const keys = [...new Set(errors.map(extraKeyOf))];
  if (keys.length === 1) return [`may not hold ${JSON.stringify(keys[0])} here`];
  return [`holds operators that cannot share one object: ${keys.join(', ')}`];
}

function extraKeyOf(error: ErrorObject): string {
  return String((error.params as Record<string, unknown>)['additionalProperty']);
}

/** The fields the schema node of an error names (ajv gives the node with `verbose`). */
function knownFields(error: ErrorObject): string[] {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties === undefined ? [] : Object.keys(properties);
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

/** A value the schema allows, as flagd's messages name it: a string bare (`ENABLED`), anything else as JSON. */
function plain(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function count(limit: unknown, noun: string): string {
  return limit === 1 ? `1 ${noun}` : `${String(limit)} ${noun}s`;
}
