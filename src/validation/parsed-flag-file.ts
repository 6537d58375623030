import { parseDocumentText } from '../document/parse-document-text.js';
import type { ResultWithWarnings } from '../errors/result.js';
import { isGenesisDocument } from '../genesis/is-genesis-document.js';

/** The formats a flag file can be in, told apart by `isGenesisDocument`. */
export type FlagFileFormat = 'genesis' | 'flagd';

/** A flag file as read: its text (to locate problems in) and the parsed document. */
export interface ParsedFlagFile {
  readonly path: string;
  readonly text: string;
  readonly raw: unknown;
  readonly format: FlagFileFormat;
}

/** Parses a flag file's text (JSON, or YAML by extension); malformed text fails as `file:line:col: reason`. */
export function parseFlagFile(path: string, text: string): ResultWithWarnings<ParsedFlagFile> {
  const parsed = parseDocumentText(text, path);
  if (!parsed.ok) return parsed;
  const format: FlagFileFormat = isGenesisDocument(parsed.value) ? 'genesis' : 'flagd';
  return { ok: true, value: { path, text, raw: parsed.value, format }, warnings: parsed.warnings };
}
