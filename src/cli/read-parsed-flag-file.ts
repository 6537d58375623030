import { readFileSync } from 'node:fs';
import { applyRolloutLayer, parseRolloutLayer, rolloutLayerPath } from '../loading/rollout-layer.js';
import { parseFlagFile, type ParsedFlagFile } from '../validation/parsed-flag-file.js';
import { EXIT_CODES, failure, type Step } from './command-result.js';
import { readTextFile } from './read-text-file.js';

/**
 * Reads and parses one flag file (JSON, or YAML by extension). A file that cannot be read, or
 * whose text does not parse (reported as `file:line:col: reason`), is unreadable: exit code 2.
 */
export function readParsedFlagFile(path: string): Step<ParsedFlagFile> {
  const read = readTextFile(path);
  if (!read.ok) return read;
  const parsed = parseFlagFile(path, read.value);
  return parsed.ok ? { ok: true, value: parsed.value } : failure(EXIT_CODES.unreadable, parsed.error);
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
