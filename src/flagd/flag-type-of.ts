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

/** The type a flag resolves as, from its default variant's value (or its first variant's); none without variants. */
export function flagTypeOfVariants(
  variants: Readonly<Record<string, unknown>>,
  defaultVariant: unknown,
): FlagType | undefined {
  const representative =
    typeof defaultVariant === 'string' && Object.hasOwn(variants, defaultVariant)
      ? variants[defaultVariant]
      : Object.values(variants)[0];
  return representative === undefined ? undefined : flagTypeOf(representative as JsonValue);
}
