import type { JsonObjectLike } from '../../document/json-object.js';

/**
 * Why a flag's `defaultVariant` names none of its variants, or undefined when it names one: the one
 * check behind the loader's rejection and `validate`'s report. Own keys only, so that "toString" or
 * "__proto__" never count as variants through the prototype.
 */
export function defaultVariantProblem(name: string, variants: JsonObjectLike): string | undefined {
  if (Object.hasOwn(variants, name)) return undefined;
  const names = Object.keys(variants).map((variant) => JSON.stringify(variant));
  return `${JSON.stringify(name)} names no variant (variants: ${names.join(', ') || 'none'})`;
}
