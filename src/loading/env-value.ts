import type { Result } from '../errors/result.js';
import type { FlagType, JsonValue } from '../flagd/model.js';
import { parseSwitchText, SWITCH_EXPECTED } from '../options/option-kind.js';

/** Parses an environment variable's text as a value of the flag's type; the error says what was expected instead. */
export function parseEnvValue(text: string, type: FlagType): Result<JsonValue> {
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

function parseBoolean(text: string): Result<JsonValue> {
  const value = parseSwitchText(text);
  return value === undefined ? { ok: false, error: SWITCH_EXPECTED } : { ok: true, value };
}

function parseNumber(text: string): Result<JsonValue> {
  const trimmed = text.trim();
  const value = Number(trimmed);
  return trimmed === '' || !Number.isFinite(value) ? { ok: false, error: 'a number' } : { ok: true, value };
}

function parseObject(text: string): Result<JsonValue> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null) return { ok: true, value: value as JsonValue };
  } catch {
    // Falls through to the same answer as valid JSON that is not an object.
  }
  return { ok: false, error: 'a JSON object or array' };
}
