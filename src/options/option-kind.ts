/**
 * What one option accepts, said once for both ways it can be given: as a value (an option object, a
 * command line already parsed) and as the text of an environment variable.
 */
export interface OptionKind<T> {
  /** What a good value looks like, for messages: `a port number (1-65535)`. */
  readonly expected: string;
  /** The option's value when `value` is a good one, else undefined. */
  check(value: unknown): T | undefined;
  /** The option's value when an environment variable's (non-empty) text gives a good one, else undefined. */
  parse(text: string): T | undefined;
  /** What a good variable text looks like, where that is more than `expected` says. */
  readonly expectedText?: string;
}

/** Decimal digits, with an optional fraction, around whitespace; no sign, exponent or hex. */
export function parseDecimalText(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : undefined;
}

/** A kind whose environment text is read by `toValue` and then checked as a value would be. */
export function optionKind<T>(
  expected: string,
  check: (value: unknown) => T | undefined,
  toValue: (text: string) => unknown,
): OptionKind<T> {
  return { expected, check, parse: (text) => check(toValue(text)) };
}

const asIs = (text: string): string => text;

/**
 * The words every boolean variable takes: a flag's override (`MAINTENANCE_MODE=off`) and a boolean
 * option's variable (`FLAGD_TLS=1`). Each has one meaning, so none is read against its writer's intent.
 */
const SWITCH_WORDS: Readonly<Record<string, boolean>> = Object.freeze({
  true: true,
  false: false,
  '1': true,
  '0': false,
  on: true,
  off: false,
  yes: true,
  no: false,
});

export const SWITCH_EXPECTED = 'a boolean (true/false, 1/0, on/off or yes/no)';

/** A flag override's switch word, in any case, around whitespace. */
export function parseSwitchText(text: string): boolean | undefined {
  return SWITCH_WORDS[text.trim().toLowerCase()];
}

/**
 * An option's value is `true` or `false`. A variable's text is any switch word (`true`/`false`,
 * `1`/`0`, `on`/`off`, `yes`/`no`), as a flag's override variable and as flagd's own daemon (Go's
 * ParseBool: `1`/`0`) read it: `GENESIS_FLAGS_ENV_OVERRIDES=off` written for the old system turns
 * overrides off, where reading it as the default would leave them on. Anything else is warned about.
 */
export const booleanOption: OptionKind<boolean> = {
  ...optionKind('true or false', (value) => (typeof value === 'boolean' ? value : undefined), parseSwitchText),
  expectedText: SWITCH_EXPECTED,
};

export const stringOption = optionKind('a string', (value) => (typeof value === 'string' ? value : undefined), asIs);

export const nonEmptyStringOption = optionKind(
  'a non-empty string',
  (value) => (typeof value === 'string' && value.trim() !== '' ? value : undefined),
  asIs,
);

/** A secret read from a variable loses the newline a file or a shell left around it. */
export const trimmedStringOption = optionKind('a non-empty string', nonEmptyStringOption.check, (text) => text.trim());

/** Whole numbers: gRPC deadlines, backoffs and sizes are integers. */
export const wholeNumberOption = optionKind(
  'an integer >= 0',
  (value) => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined),
  parseDecimalText,
);

export const durationMsOption = optionKind(
  'a number of milliseconds >= 0',
  (value) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined),
  parseDecimalText,
);

/** The variable in whole seconds, the option in milliseconds (flagd's FLAGD_RETRY_GRACE_PERIOD). */
export const secondsAsMsOption: OptionKind<number> = {
  expected: wholeNumberOption.expected,
  check: wholeNumberOption.check,
  parse: (text) => {
    const seconds = wholeNumberOption.parse(text);
    return seconds === undefined ? undefined : seconds * 1_000;
  },
};

/** A size limit in bytes: 0 for no limit. */
export const byteCountOption = optionKind(
  'a whole number of bytes, 0 for no limit',
  wholeNumberOption.check,
  wholeNumberOption.parse,
);

/** A port to connect to. */
export const portOption = optionKind(
  'a port number (1-65535)',
  (value) => (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 65_535 ? value : undefined),
  parseDecimalText,
);

/** A port to listen on: 0 picks a free one. */
export const listenPortOption = optionKind(
  'a port number (0-65535)',
  (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65_535 ? value : undefined,
  parseDecimalText,
);

/** A plain object, of the shape the caller names (its fields are checked where they are read). */
export function recordOption<T extends object>(): OptionKind<T> {
  return optionKind(
    'an object',
    (value) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : undefined),
    () => undefined,
  );
}

export const functionOption = optionKind(
  'a function',
  (value) => (typeof value === 'function' ? (value as () => number) : undefined),
  () => undefined,
);
