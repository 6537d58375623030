import type { FlagType, JsonValue } from '../flagd/model.js';

/** A value read from an environment variable: the parsed value, or what was expected instead. */
export type EnvValueOutcome =
  { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly expected: string };

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  on: true,
  off: false,
  yes: true,
  no: false,
};

/** Parses an environment variable's text as a value of the flag's type. */
export function parseEnvValue(text: string, type: FlagType): EnvValueOutcome {
  switch (type) {
    case 'boolean':
      return parseBoolean(text);
    case 'number':
      return parseNumber(text);
    case 'object':
      return parseObject(text);
    case 'string':
      return { ok: true, value: text };
  }
}

function parseBoolean(text: string): EnvValueOutcome {
  const value = BOOLEAN_WORDS[text.trim().toLowerCase()];
  return value === undefined
    ? { ok: false, expected: 'a boolean (true/false/1/0/on/off/yes/no)' }
    : { ok: true, value };
}

function parseNumber(text: string): EnvValueOutcome {
  const trimmed = text.trim();
  const value = Number(trimmed);
  return trimmed === '' || !Number.isFinite(value) ? { ok: false, expected: 'a number' } : { ok: true, value };
}

function parseObject(text: string): EnvValueOutcome {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null) return { ok: true, value: value as JsonValue };
  } catch {
    // Falls through to the same answer as valid JSON that is not an object.
  }
  return { ok: false, expected: 'a JSON object or array' };
}
