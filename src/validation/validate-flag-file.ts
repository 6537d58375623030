import { listDocumentFlags } from '../flagd/parse/list-document-flags.js';
import { findReservedOverrideCollisions } from '../loading/env-overrides.js';
import type { RequiresScope } from '../genesis/check-requires.js';
import { locateFileProblems, type LocatedProblem } from './find-file-problems.js';
import { locatePath } from './locate-path.js';
import type { FlagFileFormat, ParsedFlagFile } from './parsed-flag-file.js';

export interface ValidationOptions {
  /** How the flags would be overridden from the environment: the prefix, or undefined when overrides are off. */
  readonly envPrefix?: string | undefined;
  /** The other files checked with this one, where a Genesis flag's parents may be (see `requiresScopeAmong`). */
  readonly scope?: RequiresScope | undefined;
}

/** What checking one flag file found: every problem at once, or why the file could not be read at all. */
export type FileValidation =
  | {
      readonly file: string;
      readonly status: 'valid' | 'invalid';
      readonly format: FlagFileFormat;
      readonly flagCount: number;
      readonly problems: readonly LocatedProblem[];
    }
  | { readonly file: string; readonly status: 'unreadable'; readonly error: string };

/**
 * Checks a parsed flag file in one pass: every schema and rule problem of its format, located by line
 * and column. The file is invalid when any problem is an error; warnings alone leave it valid.
 */
export function validateParsedFlagFile(file: ParsedFlagFile, options: ValidationOptions = {}): FileValidation {
  const problems = [...locateFileProblems(file, options.scope), ...envCollisionWarnings(file, options.envPrefix)].sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );
  const status = problems.some((problem) => problem.severity === 'error') ? 'invalid' : 'valid';
  return { file: file.path, status, format: file.format, flagCount: flagCount(file.raw), problems };
}

/**
 * A warning for each flag whose override variable is one nearly every process has (`PATH`, `HOME`,
 * `CI`...): without a prefix such a flag is never overridden, so a `CI=false` meant for it does nothing.
 */
function envCollisionWarnings(file: ParsedFlagFile, envPrefix: string | undefined): LocatedProblem[] {
  if (envPrefix === undefined) return [];
  return findReservedOverrideCollisions(flagKeys(file.raw), envPrefix).map(({ flagKey, message }) => ({
    file: file.path,
    ...locatePath(file.text, file.path, ['flags', flagKey]),
    path: `flags.${flagKey}`,
    message,
    severity: 'warning',
  }));
}

function flagKeys(raw: unknown): string[] {
  return listDocumentFlags(flagsOf(raw)).flatMap(({ key }) => (key === undefined ? [] : [key]));
}

function flagCount(raw: unknown): number {
  return listDocumentFlags(flagsOf(raw)).length;
}

function flagsOf(raw: unknown): unknown {
  return typeof raw === 'object' && raw !== null ? (raw as { flags?: unknown }).flags : undefined;
}
