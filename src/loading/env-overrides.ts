import { flagTypeOfVariants, parseEnvValue } from './env-value.js';

/** A snapshot of the environment, taken once when the provider is built. */
export type EnvironmentSnapshot = Readonly<Record<string, string | undefined>>;

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

/** The value `source` takes in the metadata of a flag overridden from the environment. */
export const ENV_OVERRIDE_SOURCE = 'env';
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
 * warning naming the variable and the flag. Anything not shaped like a flag is left for the parser.
 */
export function applyEnvOverrides(document: unknown, options: EnvOverrideOptions): EnvOverrideResult {
  const flags = isRecord(document) ? document['flags'] : undefined;
  if (!isRecord(document) || !isRecord(flags)) return { document, warnings: [] };
  const warnings: string[] = [];
  const rewritten: Record<string, unknown> = {};
  const keysByVariable = new Map<string, string[]>();
  let changed = false;
  for (const [key, flag] of Object.entries(flags)) {
    const variable = flagEnvVariableName(key, options.prefix);
    const text = options.environment[variable];
    const override = text === undefined || !isRecord(flag) ? undefined : overrideFlag(key, flag, variable, text);
    if (text !== undefined) keysByVariable.set(variable, [...(keysByVariable.get(variable) ?? []), key]);
    if (typeof override === 'string') warnings.push(override);
    changed ||= isRecord(override);
    rewritten[key] = isRecord(override) ? override : flag;
  }
  warnings.push(...describeSharedVariables(keysByVariable));
  return { document: changed ? { ...document, flags: rewritten } : document, warnings };
}

/** The rewritten flag, or a warning when the text fits neither a variant name nor the flag's type. */
function overrideFlag(key: string, flag: Record<string, unknown>, variable: string, text: string): Record<string, unknown> | string {
  const variants = isRecord(flag['variants']) ? flag['variants'] : {};
  if (Object.hasOwn(variants, text)) return staticFlag(flag, { defaultVariant: text });
  const names = Object.keys(variants).join(', ');
  const ignoring = `Ignoring environment variable ${variable} for flag ${key}`;
  const type = flagTypeOfVariants(variants, flag['defaultVariant']);
  if (type === undefined) return `${ignoring}: ${JSON.stringify(text)} is no variant name (${names}) and the flag's type cannot be told from its variants`;
  const parsed = parseEnvValue(text, type);
  if (!parsed.ok) return `${ignoring}: ${JSON.stringify(text)} is neither ${parsed.expected} nor a variant name (${names})`;
  return staticFlag(flag, { variants: { [ENV_OVERRIDE_VARIANT]: parsed.value }, defaultVariant: ENV_OVERRIDE_VARIANT });
}

/** The flag made static: enabled, without targeting, marked as coming from the environment. */
function staticFlag(flag: Record<string, unknown>, resolution: Record<string, unknown>): Record<string, unknown> {
  const metadata = { ...(isRecord(flag['metadata']) ? flag['metadata'] : {}), source: ENV_OVERRIDE_SOURCE };
  const rewritten: Record<string, unknown> = { ...flag, ...resolution, state: 'ENABLED', metadata };
  delete rewritten['targeting'];
  return rewritten;
}

function describeSharedVariables(keysByVariable: ReadonlyMap<string, readonly string[]>): string[] {
  return [...keysByVariable]
    .filter(([, keys]) => keys.length > 1)
    .map(([variable, keys]) => `Environment variable ${variable} overrides several flags: ${keys.join(', ')}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
