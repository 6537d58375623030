import type { FlagType, JsonValue } from '../flagd/model.js';
import { parseSwitchText, SWITCH_EXPECTED } from '../options/option-kind.js';

/** A value read from an environment variable: the parsed value, or what was expected instead. */
export type EnvValueOutcome =
  { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly expected: string };

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
  const value = parseSwitchText(text);
  return value === undefined ? { ok: false, expected: SWITCH_EXPECTED } : { ok: true, value };
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
