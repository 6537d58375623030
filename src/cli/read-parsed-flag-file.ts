import { readFileSync } from 'node:fs';
import { applyRolloutLayer, parseRolloutLayer, rolloutLayerPath } from '../loading/rollout-layer.js';
import { parseDocumentText } from '../flagd/parse/parse-document-text.js';
import { isGenesisDocument } from '../genesis/is-genesis-document.js';
import { EXIT_CODES, failure, type Step } from './command-result.js';
import { readTextFile } from './read-text-file.js';

/** The formats a flag file can be in, told apart by `isGenesisDocument`. */
export type FlagFileFormat = 'genesis' | 'flagd';

/** A flag file as read from disk: its text (to locate problems in) and the parsed document. */
export interface ParsedFlagFile {
  readonly path: string;
  readonly text: string;
  readonly raw: unknown;
  readonly format: FlagFileFormat;
}

/**
 * Reads and parses one flag file (JSON, or YAML by extension). A file that cannot be read, or
 * whose text does not parse (reported as `file:line:col: reason`), is unreadable: exit code 2.
 */
export function readParsedFlagFile(path: string): Step<ParsedFlagFile> {
  const read = readTextFile(path);
  if (!read.ok) return read;
  const text = read.value;
  const parsed = parseDocumentText(text, path);
  if (!parsed.ok) return failure(EXIT_CODES.unreadable, parsed.error);
  const format: FlagFileFormat = isGenesisDocument(parsed.value) ? 'genesis' : 'flagd';
  return { ok: true, value: { path, text, raw: parsed.value, format } };
}

/**
 * The file as flags are served from it: its rollout layer (a deployment's stages) merged over what
 * people wrote. `text` stays the file's own, to locate problems in.
 */
export function withRolloutLayer(file: ParsedFlagFile): ParsedFlagFile {
  let layerText: string;
  try {
    layerText = readFileSync(rolloutLayerPath(file.path), 'utf8');
  } catch {
    return file;
  }
  const layer = parseRolloutLayer(layerText, rolloutLayerPath(file.path));
  if (!layer.ok || layer.value === undefined) return file;
  return { ...file, raw: applyRolloutLayer(file.raw, layer.value) };
}
