import type { FlagType, JsonValue } from './model.js';

/** The OpenFeature type a variant value resolves as; null and arrays count as objects, as in flagd-core. */
export function flagTypeOf(value: JsonValue): FlagType {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    default:
      return 'object';
  }
}
