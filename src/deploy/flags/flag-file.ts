import { didYouMean } from '../../errors/did-you-mean.js';
import { readFile } from 'node:fs/promises';
import { applyEdits, modify, type Edit } from 'jsonc-parser';
import { describeError } from '../../errors/describe-error.js';
import { isJsonObject } from '../../document/json-object.js';
import { parseDocumentText } from '../../document/parse-document-text.js';
import type { Result } from '../../errors/result.js';
import { writeFileAtomic } from '../../system/write-file-atomic.js';
import { isGenesisDocument } from '../../genesis/is-genesis-document.js';
import { readGenesisDocument } from '../../genesis/read-genesis-document.js';
import { DeployError } from '../deploy-error.js';

/** The flag fields a deployment rewrites; nothing else in the file is touched. */
export type RolloutField = 'enabled' | 'rollout_strategy' | 'rollout_percentage';

/** Set one field of one flag. */
export interface FlagFieldEdit {
  readonly flag: string;
  readonly field: RolloutField;
  readonly value: boolean | number | string;
}

export interface EditOptions {
  /** Write even if the result is not a valid Genesis document. @default false */
  readonly allowInvalid?: boolean;
}

/** A parsed flag file: its exact text and the JSON value of that text. */
export interface FlagFile {
  readonly path: string;
  readonly text: string;
  readonly flags: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * Where a field may sit, most specific first: on the flag itself, or under the old Python
 * system's `config` record. The first place holding the field is the one Genesis reads (the flat
 * form wins), so an edit goes there; a field found nowhere is added on the flag itself.
 */
const FIELD_LAYERS: readonly (readonly string[])[] = [[], ['config']];

/**
 * Reads and parses a Genesis flag file. A missing, unreadable or malformed file is `unreadable` (exit 2,
 * as in `validate`); a YAML or non-Genesis file is a config error (exit 1).
 */
export async function readFlagFile(path: string): Promise<FlagFile> {
  const text = await readFile(path, 'utf8').catch((cause: NodeJS.ErrnoException) => {
    const what = cause.code === 'ENOENT' ? 'Flag file not found' : 'Cannot read flag file';
    throw new DeployError('unreadable', `${what}: ${path}`, { cause });
  });
  const parsed = parseFlagFile(path, text);
  if (parsed.ok) return parsed.value;
  const malformed = !/\.ya?ml$/i.test(path) && !parseDocumentText(text, path).ok;
  throw new DeployError(malformed ? 'unreadable' : 'config', parsed.error);
}

/** Parses flag-file text, naming the file in every error. */
export function parseFlagFile(path: string, text: string): Result<FlagFile> {
  // Stages are written back as JSON text edits, which a YAML file would not survive.
  if (/\.ya?ml$/i.test(path)) return { ok: false, error: `Deploy edits JSON flag files only, not YAML: ${path}` };
  const parsed = parseDocumentText(text, path);
  if (!parsed.ok) return { ok: false, error: `Flag file is not valid JSON: ${parsed.error}` };
  const root = parsed.value;
  if (!isGenesisDocument(root)) {
    return { ok: false, error: `Not a Genesis flag file (no "flags" of Genesis shape): ${path}` };
  }
  const flags = (root as { flags: Record<string, Record<string, unknown>> }).flags;
  return { ok: true, value: { path, text, flags } };
}

/** The value a field has for Genesis: the flag's own, else the old `config` record's. */
export function readFlagField(flag: Readonly<Record<string, unknown>>, field: RolloutField): unknown {
  const layer = FIELD_LAYERS.find((path) => Object.hasOwn(nested(flag, path), field)) ?? [];
  return nested(flag, layer)[field];
}

/**
 * Applies the edits to the text, changing only the edited values (jsonc-parser replaces a value
 * in place and keeps every other byte; an added field goes on its own line after the flag's last
 * field, indented like it). Values already equal are left alone, so an edit list that changes nothing returns the
 * text unchanged. The result must still be a valid Genesis document, unless `allowInvalid` (a
 * rollback goes through even when someone else has broken another part of the file).
 */
export function editFlagText(
  file: FlagFile,
  edits: readonly FlagFieldEdit[],
  options: EditOptions = {},
): Result<string> {
  let text = file.text;
  for (const edit of edits) {
    const flag = file.flags[edit.flag];
    if (flag === undefined) {
      const hint = didYouMean(edit.flag, Object.keys(file.flags));
      return { ok: false, error: `Flag not found: ${edit.flag}${hint} in ${file.path}` };
    }
    if (readFlagField(flag, edit.field) === edit.value) continue;
    const layer = FIELD_LAYERS.find((path) => Object.hasOwn(nested(flag, path), edit.field)) ?? [];
    const edits = modify(text, ['flags', edit.flag, ...layer, edit.field], edit.value, {});
    text = applyEdits(
      text,
      edits.map((change) => onOwnLine(text, change)),
    );
  }
  if (text === file.text || options.allowInvalid === true) return { ok: true, value: text };
  const checked = readGenesisDocument(JSON.parse(text), file.path);
  return checked.ok ? { ok: true, value: text } : { ok: false, error: `The rewrite would make ${checked.error}` };
}

/**
 * Re-reads the file, applies the edits and replaces it atomically, so providers and the sync
 * server pick the change up by hot reload. Returns whether anything changed (no write otherwise).
 */
export async function applyFlagEdits(
  path: string,
  edits: readonly FlagFieldEdit[],
  options: EditOptions = {},
): Promise<boolean> {
  const file = await readFlagFile(path);
  const edited = editFlagText(file, edits, options);
  if (!edited.ok) throw new DeployError('config', edited.error);
  if (edited.value === file.text) return false;
  await writeFileAtomic(path, edited.value).catch((cause: unknown) => {
    throw new DeployError('config', `Cannot write flag file: ${path}: ${describeError(cause)}`, { cause });
  });
  return true;
}

/**
 * jsonc-parser inserts `,"key": value` right after the previous field, and its formatting option
 * would reformat the whole neighbouring lines; instead the new field is put on a line of its own
 * with the indentation of the line it follows (the previous field's, or its closing brace's).
 */
function onOwnLine(text: string, edit: Edit): Edit {
  if (edit.length !== 0 || !edit.content.startsWith(',')) return edit;
  const lineStart = text.lastIndexOf('\n', edit.offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { ...edit, content: `,${eol}${indent}${edit.content.slice(1)}` };
}

function nested(record: Readonly<Record<string, unknown>>, path: readonly string[]): Readonly<Record<string, unknown>> {
  let node: unknown = record;
  for (const key of path)
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return isJsonObject(node) ? node : {};
}
