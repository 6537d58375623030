import { locateFileProblems, type LocatedProblem } from './find-file-problems.js';
import { parseFlagFile, type FlagFileFormat, type ParsedFlagFile } from './parsed-flag-file.js';

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
 * Checks a flag file's text in one pass: a syntax error makes it unreadable; otherwise every schema
 * and rule problem of its format is reported, located by line and column. The file is invalid when
 * any problem is an error; warnings alone leave it valid.
 */
export function validateFlagFile(path: string, text: string): FileValidation {
  const parsed = parseFlagFile(path, text);
  if (!parsed.ok) return { file: path, status: 'unreadable', error: parsed.error };
  return validateParsedFlagFile(parsed.value);
}

export function validateParsedFlagFile(file: ParsedFlagFile): FileValidation {
  const problems = locateFileProblems(file);
  const status = problems.some((problem) => problem.severity === 'error') ? 'invalid' : 'valid';
  return { file: file.path, status, format: file.format, flagCount: flagCount(file.raw), problems };
}

function flagCount(raw: unknown): number {
  const flags = typeof raw === 'object' && raw !== null ? (raw as { flags?: unknown }).flags : undefined;
  if (Array.isArray(flags)) return flags.length;
  return typeof flags === 'object' && flags !== null ? Object.keys(flags).length : 0;
}
