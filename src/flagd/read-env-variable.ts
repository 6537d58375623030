/** Environment variables as the process has them, or a snapshot passed in by a test. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * One variable's value read by `parse`; undefined when it is unset or empty. A value `parse` cannot
 * read is never dropped silently: a warning names the variable, the value and what was `expected`.
 */
export function readEnvVariable<T>(
  environment: Environment,
  variable: string,
  parse: (text: string) => T | undefined,
  expected: string,
  warnings: string[],
): T | undefined {
  const text = environment[variable];
  if (text === undefined || text === '') return undefined;
  const value = parse(text);
  if (value === undefined) warnings.push(`Ignoring ${variable}=${quoteEnvValue(text)}: expected ${expected}`);
  return value;
}

/** Longest part of an environment value repeated in a message: a variable may be `$PATH`, kilobytes long. */
const MAX_QUOTED_VALUE_LENGTH = 40;

/** An environment value for a message: quoted, and cut short, with its length, when long. */
export function quoteEnvValue(text: string): string {
  if (text.length <= MAX_QUOTED_VALUE_LENGTH) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, MAX_QUOTED_VALUE_LENGTH))}… (${text.length} characters)`;
}

/** `true` or `false` in any case, around whitespace, as flagd reads its boolean variables. */
export function parseBooleanWord(text: string): boolean | undefined {
  const lowered = text.trim().toLowerCase();
  return lowered === 'true' ? true : lowered === 'false' ? false : undefined;
}

/** Decimal digits only (no sign, fraction or exponent), around whitespace. */
export function parseWholeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}
