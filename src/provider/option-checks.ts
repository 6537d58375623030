import type { Logger } from '@openfeature/core';
import { didYouMean } from '../errors/did-you-mean.js';
import { isJsonObject } from '../document/json-object.js';
import { GRPC_STATUS_NAMES, grpcStatusCode } from '../flagd/sources/grpc-status-names.js';
import { parseEnvValue } from '../loading/env-value.js';

/** A checked value, or a description of what was expected. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly expected: string };
export type Check<T> = (value: unknown) => Checked<T>;

/** The value when it passes its check; otherwise undefined, with a warning naming the option. */
export function pickOption<T>(value: unknown, name: string, check: Check<T>, warnings: string[]): T | undefined {
  if (value === undefined) return undefined;
  const checked = check(value);
  if (checked.ok) return checked.value;
  warnings.push(`Ignoring ${name}: expected ${checked.expected}, got ${describeValue(value)}`);
  return undefined;
}

/** One warning per key of `options` outside `known`, listing the known ones. */
export function unknownOptionWarnings(options: object, known: readonly string[], scope = 'option'): string[] {
  const knownSet = new Set(known);
  return Object.keys(options)
    .filter((key) => !knownSet.has(key))
    .map((key) => `Ignoring unknown ${scope} ${key}${didYouMean(key, known)} (known options: ${known.join(', ')})`);
}

export function checkPaths(value: unknown): Checked<readonly string[]> {
  const paths = typeof value === 'string' ? [value] : value;
  const valid =
    Array.isArray(paths) && paths.length > 0 && paths.every((path) => typeof path === 'string' && path.trim() !== '');
  return valid
    ? { ok: true, value: [...(paths as string[])] }
    : { ok: false, expected: 'a file path or a non-empty list of file paths' };
}

export function checkStatusNames(value: unknown): Checked<readonly string[]> {
  const valid =
    Array.isArray(value) && value.every((name) => typeof name === 'string' && grpcStatusCode(name) !== undefined);
  return valid
    ? { ok: true, value: Object.freeze([...(value as string[])]) }
    : { ok: false, expected: `a list of gRPC status names (${GRPC_STATUS_NAMES.join(', ')})` };
}

export function checkBoolean(value: unknown): Checked<boolean> {
  return typeof value === 'boolean' ? { ok: true, value } : { ok: false, expected: 'true or false' };
}

export function parseBooleanText(value: unknown): Checked<boolean> {
  const parsed = parseEnvValue(String(value), 'boolean');
  return parsed.ok ? { ok: true, value: parsed.value === true } : parsed;
}

export function checkString(value: unknown): Checked<string> {
  return typeof value === 'string' ? { ok: true, value } : { ok: false, expected: 'a string' };
}

export function checkNonEmptyString(value: unknown): Checked<string> {
  return typeof value === 'string' && value.trim() !== ''
    ? { ok: true, value }
    : { ok: false, expected: 'a non-empty string' };
}

export function checkDuration(value: unknown): Checked<number> {
  const valid = typeof value === 'number' && Number.isFinite(value) && value >= 0;
  return valid ? { ok: true, value } : { ok: false, expected: 'a number of milliseconds >= 0' };
}

export function parseDurationText(value: unknown): Checked<number> {
  const text = String(value).trim();
  return checkDuration(text === '' ? Number.NaN : Number(text));
}

/** Integers only: gRPC deadlines, backoffs and sizes are whole numbers. */
export function checkNonNegativeInteger(value: unknown): Checked<number> {
  const valid = typeof value === 'number' && Number.isInteger(value) && value >= 0;
  return valid ? { ok: true, value } : { ok: false, expected: 'an integer >= 0' };
}

export function checkPort(value: unknown): Checked<number> {
  const valid = typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 65_535;
  return valid ? { ok: true, value } : { ok: false, expected: 'a port number (1-65535)' };
}

export function checkRecord<T extends object>(value: unknown): Checked<T> {
  return isJsonObject(value) ? { ok: true, value: value as T } : { ok: false, expected: 'an object' };
}

export function checkFunction(value: unknown): Checked<() => number> {
  return typeof value === 'function'
    ? { ok: true, value: value as () => number }
    : { ok: false, expected: 'a function' };
}

export function checkLogger(value: unknown): Checked<Logger> {
  const methods = ['error', 'warn', 'info', 'debug'] as const;
  const valid =
    typeof value === 'object' &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
  return valid
    ? { ok: true, value: value as Logger }
    : { ok: false, expected: 'a logger with error, warn, info and debug methods' };
}

function describeValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
