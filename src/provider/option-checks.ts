import type { Logger } from '@openfeature/core';
import { didYouMean } from '../errors/did-you-mean.js';
import { optionKind } from '../options/option-kind.js';

/** One warning per key of `options` outside `known`, listing the known ones. */
export function unknownOptionWarnings(options: object, known: readonly string[], scope = 'option'): string[] {
  const knownSet = new Set(known);
  return Object.keys(options)
    .filter((key) => !knownSet.has(key))
    .map((key) => `Ignoring unknown ${scope} ${key}${didYouMean(key, known)} (known options: ${known.join(', ')})`);
}

/** One path, or several; the variable holds one path. */
export const pathsOption = optionKind<readonly string[]>(
  'a file path or a non-empty list of file paths',
  (value) => {
    const paths = typeof value === 'string' ? [value] : value;
    const valid =
      Array.isArray(paths) && paths.length > 0 && paths.every((path) => typeof path === 'string' && path.trim() !== '');
    return valid ? Object.freeze([...(paths as string[])]) : undefined;
  },
  (text) => text,
);

export const loggerOption = optionKind<Logger>(
  'a logger with error, warn, info and debug methods',
  (value) => {
    const methods = ['error', 'warn', 'info', 'debug'] as const;
    const valid =
      typeof value === 'object' &&
      value !== null &&
      methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
    return valid ? (value as Logger) : undefined;
  },
  () => undefined,
);
