import type { OptionKind } from './option-kind.js';

/** Environment variables as the process has them, or a snapshot passed in by a test. */
export type EnvironmentSnapshot = Readonly<Record<string, string | undefined>>;

/** One option, declared once: what it accepts, the variables that set it, and its default. */
export interface OptionSpec<T> {
  readonly kind: OptionKind<T>;
  /** The variables that set it, in order: the first that reads well wins (`FLAGD_SYNC_PORT, FLAGD_PORT`). */
  readonly env?: string | readonly string[];
  readonly default?: T;
}

/** Every option of an options type, each declared once; the compiler checks none is missing. */
export type OptionTable<O> = { readonly [K in keyof O]-?: OptionSpec<NonNullable<O[K]>> };

/** Longest part of an environment value repeated in a message: a variable may be `$PATH`, kilobytes long. */
const MAX_QUOTED_VALUE_LENGTH = 40;

/** An environment value for a message: quoted, and cut short, with its length, when long. */
export function quoteEnvValue(text: string): string {
  if (text.length <= MAX_QUOTED_VALUE_LENGTH) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, MAX_QUOTED_VALUE_LENGTH))}… (${text.length} characters)`;
}

/** An option's value for a message, as JSON where it has a JSON form. */
export function describeOptionValue(value: unknown): string {
  if (typeof value === 'function') return '[function]';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The one phrasing of a value that is given but cannot be used, for an option and a variable alike:
 * `FLAGD_PORT="x": expected a port number (1-65535)`, `sync.port=0: expected …`. Callers put what
 * happens in front: `Ignoring …` where the next source is used, `Invalid …` where it is an error.
 */
export function unusableValue(name: string, shownValue: string, expected: string): string {
  return `${name}=${shownValue}: expected ${expected}`;
}

/** The variables of an option, in the order they are read. */
export function variablesOf(spec: OptionSpec<unknown>): readonly string[] {
  return spec.env === undefined ? [] : typeof spec.env === 'string' ? [spec.env] : spec.env;
}

/**
 * An environment variable's value for `spec`: the first of its variables that is set and reads well.
 * An empty variable counts as unset, as in flagd's providers (`FLAGD_HOST=` is no host). A value that
 * does not read is never dropped silently: a warning names the variable, the value and what was expected.
 */
function readVariables<T>(spec: OptionSpec<T>, environment: EnvironmentSnapshot, warnings: string[]): T | undefined {
  for (const variable of variablesOf(spec)) {
    const text = environment[variable];
    if (text === undefined || text === '') continue;
    const value = spec.kind.parse(text);
    if (value !== undefined) return value;
    warnings.push(
      `Ignoring ${unusableValue(variable, quoteEnvValue(text), spec.kind.expectedText ?? spec.kind.expected)}`,
    );
  }
  return undefined;
}

/** A given option's value when `spec` accepts it; otherwise undefined, with a warning naming it. */
export function checkOption<T>(spec: OptionSpec<T>, name: string, value: unknown, warnings: string[]): T | undefined {
  if (value === undefined) return undefined;
  const checked = spec.kind.check(value);
  if (checked === undefined)
    warnings.push(`Ignoring ${unusableValue(name, describeOptionValue(value), spec.kind.expected)}`);
  return checked;
}

/**
 * Resolves every option of `table` once: default < environment < option. A bad option or variable is
 * warned about by name and the next source is used. `prefix` names nested options (`sync.`).
 */
export function readOptions<O>(
  table: OptionTable<O>,
  options: Readonly<Partial<Record<keyof O, unknown>>>,
  environment: EnvironmentSnapshot,
  warnings: string[],
  prefix = '',
): Partial<O> {
  const resolved: Partial<Record<keyof O, unknown>> = {};
  for (const name of Object.keys(table) as (keyof O & string)[]) {
    const spec: OptionSpec<unknown> = table[name];
    const value =
      checkOption(spec, `${prefix}${name}`, options[name], warnings) ??
      readVariables(spec, environment, warnings) ??
      spec.default;
    if (value !== undefined) resolved[name] = value;
  }
  return resolved as Partial<O>;
}

/** The options of a table that have a default, each with its default's type. */
export type DefaultsOf<T> = {
  readonly [K in keyof T as T[K] extends { readonly default: unknown } ? K : never]: T[K] extends {
    readonly default: infer D;
  }
    ? D
    : never;
};

/** The defaults of a table (declare it with `satisfies OptionTable<O>` to keep their types), for callers and docs. */
export function optionDefaults<T extends object>(table: T): DefaultsOf<T> {
  const entries = Object.entries(table as Readonly<Record<string, OptionSpec<unknown>>>).filter(
    ([, spec]) => spec.default !== undefined,
  );
  return Object.freeze(Object.fromEntries(entries.map(([name, spec]) => [name, spec.default]))) as DefaultsOf<T>;
}

/** The variables of a table, each option's written as docs list them (`FLAGD_SYNC_PORT, FLAGD_PORT`). */
export function optionVariables<T extends object>(table: T): Readonly<Partial<Record<keyof T, string>>> {
  const entries = Object.entries(table as Readonly<Record<string, OptionSpec<unknown>>>).filter(
    ([, spec]) => spec.env !== undefined,
  );
  const variables = Object.fromEntries(entries.map(([name, spec]) => [name, variablesOf(spec).join(', ')]));
  return Object.freeze(variables) as Partial<Record<keyof T, string>>;
}
