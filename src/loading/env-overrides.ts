import type { NormalizedFlagSet } from '../flagd/model.js';
import { listDocumentFlags } from '../flagd/parse/list-document-flags.js';
import { quoteEnvValue, unusableValue, type EnvironmentSnapshot } from '../options/read-options.js';
import { ENV_OVERRIDE_SOURCE, type EnvOverrideLookup } from '../genesis/apply-genesis-env-overrides.js';
import { flagTypeOfVariants } from '../flagd/flag-type-of.js';
import { parseEnvValue } from './env-value.js';
import { isReservedOverrideVariable, reservedOverrideMessage } from './reserved-env-variables.js';

export type { EnvironmentSnapshot } from '../options/read-options.js';

export interface EnvOverrideOptions {
  readonly environment: EnvironmentSnapshot;
  /** Put in front of every variable name, as written (`APP_` gives `APP_MY_FLAG`). */
  readonly prefix: string;
}

/** A document with the overridden flags rewritten, and one warning per ignored or ambiguous variable. */
export interface EnvOverrideResult {
  readonly document: unknown;
  readonly warnings: readonly string[];
}

/** The variant name an overridden flag resolves to when the variable gave a value rather than a variant. */
export const ENV_OVERRIDE_VARIANT = 'env';

/**
 * The variable that overrides a flag: the prefix, then the key upper-cased with every character other
 * than an ASCII letter or digit replaced by `_` (`orchestration_enabled` -> `ORCHESTRATION_ENABLED`,
 * `checkout.new-flow` -> `CHECKOUT_NEW_FLOW`).
 */
export function flagEnvVariableName(flagKey: string, prefix = ''): string {
  return prefix + flagKey.replace(/[^A-Za-z0-9]/gu, '_').toUpperCase();
}

/**
 * Rewrites every flag whose variable is set into a static flag, before normalisation, so that the
 * evaluator needs no notion of overrides: the flag is enabled, has no targeting, resolves to the named
 * variant or to a single `env` variant holding the parsed value, and says `source: 'env'` in its
 * metadata. A value that parses neither as a variant name nor as the flag's type is ignored with a
 * warning naming the variable and the flag. Both flagd forms of `flags` (a map, or a list of flags
 * with a `key`) are handled; anything not shaped like a flag is left for normalisation to judge.
 */
export function applyEnvOverrides(document: unknown, options: EnvOverrideOptions): EnvOverrideResult {
  const flags = isRecord(document) ? document['flags'] : undefined;
  if (!isRecord(document) || flags === undefined) return { document, warnings: [] };
  const warnings: string[] = [];
  const keysByVariable = new Map<string, string[]>();
  const overrides = new Map<string, Record<string, unknown>>();
  for (const [key, flag] of listFlags(flags)) {
    const variable = flagEnvVariableName(key, options.prefix);
    const text = options.environment[variable];
    if (text === undefined) continue;
    if (isReservedOverrideVariable(variable, options.prefix)) {
      warnings.push(`Ignoring environment variable ${variable}: ${reservedOverrideMessage(key, variable)}`);
      continue;
    }
    keysByVariable.set(variable, [...(keysByVariable.get(variable) ?? []), key]);
    const override = overrideFlag(key, flag, variable, text);
    if (typeof override === 'string') warnings.push(override);
    else overrides.set(key, override);
  }
  warnings.push(...describeSharedVariables(keysByVariable));
  if (overrides.size === 0) return { document, warnings };
  return { document: { ...document, flags: replaceFlags(flags, overrides) }, warnings };
}

/** The flags as [key, definition] pairs, from the map form or the list form; anything not shaped like a flag is left out. */
function listFlags(flags: unknown): [string, Record<string, unknown>][] {
  return listDocumentFlags(flags).flatMap(({ key, definition }): [string, Record<string, unknown>][] =>
    key !== undefined && isRecord(definition) ? [[key, definition]] : [],
  );
}

/** The flags in their original form, each overridden one replaced (matched by key, not identity: YAML aliases share objects). */
function replaceFlags(flags: unknown, overrides: ReadonlyMap<string, Record<string, unknown>>): unknown {
  const replaced = (key: unknown, flag: unknown) => (typeof key === 'string' ? overrides.get(key) : undefined) ?? flag;
  if (Array.isArray(flags))
    return flags.map((flag: unknown) => replaced(isRecord(flag) ? flag['key'] : undefined, flag));
  // Object.fromEntries defines properties, so a `__proto__` flag key stays a plain key.
  return Object.fromEntries(
    Object.entries(flags as Record<string, unknown>).map(([key, flag]) => [key, replaced(key, flag)]),
  );
}

/** The rewritten flag, or a warning when the text fits neither a variant name nor the flag's type. */
function overrideFlag(
  key: string,
  flag: Record<string, unknown>,
  variable: string,
  text: string,
): Record<string, unknown> | string {
  const variants = isRecord(flag['variants']) ? flag['variants'] : {};
  if (Object.hasOwn(variants, text)) return staticFlag(flag, variable, { defaultVariant: text });
  const names = Object.keys(variants).join(', ');
  const variantName = `a variant name of flag ${key} (${names})`;
  const ignoring = (expected: string): string => `Ignoring ${unusableValue(variable, quoteEnvValue(text), expected)}`;
  const type = flagTypeOfVariants(variants, flag['defaultVariant']);
  if (type === undefined) return ignoring(`${variantName}; the flag's type cannot be told from its variants`);
  const parsed = parseEnvValue(text, type);
  if (!parsed.ok) return ignoring(`${parsed.error} or ${variantName}`);
  const resolution = { variants: { [ENV_OVERRIDE_VARIANT]: parsed.value }, defaultVariant: ENV_OVERRIDE_VARIANT };
  return staticFlag(flag, variable, resolution);
}

/**
 * The flag made static: enabled, without targeting, marked as coming from the environment and naming
 * the variable (`envVariable`), as a Genesis override does.
 */
function staticFlag(
  flag: Record<string, unknown>,
  variable: string,
  resolution: Record<string, unknown>,
): Record<string, unknown> {
  const metadata = {
    ...(isRecord(flag['metadata']) ? flag['metadata'] : {}),
    source: ENV_OVERRIDE_SOURCE,
    envVariable: variable,
  };
  const rewritten: Record<string, unknown> = { ...flag, ...resolution, state: 'ENABLED', metadata };
  delete rewritten['targeting'];
  return rewritten;
}

/**
 * The variable that overrides a Genesis flag, when it is set; a reserved variable (see
 * `RESERVED_ENV_VARIABLES`) is reported through `warn` and not used.
 */
export function genesisEnvOverrideLookup(
  options: EnvOverrideOptions,
  warn: (message: string) => void,
): EnvOverrideLookup {
  return (flagKey) => {
    const name = flagEnvVariableName(flagKey, options.prefix);
    const value = options.environment[name];
    if (value === undefined) return undefined;
    if (!isReservedOverrideVariable(name, options.prefix)) return { name, value };
    warn(`Ignoring environment variable ${name}: ${reservedOverrideMessage(flagKey, name)}`);
    return undefined;
  };
}

/**
 * One line per flag of a set that an environment variable overrides, with the variable and its value
 * (cut short when long): `Flag maintenance_mode is overridden by MAINTENANCE_MODE="true"`.
 */
export function describeAppliedOverrides(set: NormalizedFlagSet, environment: EnvironmentSnapshot): string[] {
  const lines: string[] = [];
  for (const [key, entry] of set.flags) {
    const metadata = isRecord(entry.definition) ? entry.definition['metadata'] : undefined;
    if (!isRecord(metadata) || metadata['source'] !== ENV_OVERRIDE_SOURCE) continue;
    const variable = metadata['envVariable'];
    const value = typeof variable === 'string' ? environment[variable] : undefined;
    if (typeof variable === 'string' && value !== undefined)
      lines.push(`Flag ${key} is overridden by ${variable}=${quoteEnvValue(value)}`);
  }
  return lines;
}

/** The flags whose override variable is a reserved one: `validate` warns that they are never overridden. */
export function findReservedOverrideCollisions(
  flagKeys: Iterable<string>,
  prefix: string,
): { readonly flagKey: string; readonly message: string }[] {
  return [...flagKeys].flatMap((flagKey) => {
    const variable = flagEnvVariableName(flagKey, prefix);
    return isReservedOverrideVariable(variable, prefix)
      ? [{ flagKey, message: reservedOverrideMessage(flagKey, variable) }]
      : [];
  });
}

function describeSharedVariables(keysByVariable: ReadonlyMap<string, readonly string[]>): string[] {
  return [...keysByVariable]
    .filter(([, keys]) => keys.length > 1)
    .map(([variable, keys]) => `Environment variable ${variable} overrides several flags: ${keys.join(', ')}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
