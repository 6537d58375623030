import { basename, dirname, join } from 'node:path';
import { isJsonObject, type JsonObjectLike } from '../document/json-object.js';
import { parseDocumentText } from '../document/parse-document-text.js';
import type { Result } from '../errors/result.js';
import { isGenesisDocument } from '../genesis/is-genesis-document.js';

/** The fields of a Genesis flag that decide who gets it; a person's edit of any of them wins over a rollout. */
export const ROLLOUT_FIELDS = ['enabled', 'rollout_strategy', 'rollout_percentage', 'start_date', 'end_date'] as const;
export type RolloutFieldName = (typeof ROLLOUT_FIELDS)[number];

/** A flag's rollout fields as Genesis reads them (`null` when absent). */
export type RolloutFieldValues = Readonly<Record<RolloutFieldName, unknown>>;

/** What a rollout sets on one flag, and the people's values it was set over. */
export interface RolloutLayerEntry {
  /**
   * The people's rollout fields when the entry was written. The entry applies only while the flag
   * file still has exactly these: any edit of them by a person wins at once, before the controller
   * has even seen it.
   */
  readonly base: RolloutFieldValues;
  readonly set: Readonly<{ enabled?: boolean; rollout_strategy?: string; rollout_percentage?: number }>;
}

/**
 * The controller's own file beside a flag file (`x.json` → `x.rollout.json`): the stages of a
 * rollout, merged over the flag file wherever flags are loaded. People and the controller never
 * write the same file.
 */
export interface RolloutLayer {
  readonly version: 1;
  /** The deployment that wrote it. */
  readonly deployment: string;
  readonly flags: Readonly<Record<string, RolloutLayerEntry>>;
}

/** Where the rollout layer of a flag file lives: beside it, `feature_flags.json` → `feature_flags.rollout.json`. */
export function rolloutLayerPath(flagFile: string): string {
  return join(dirname(flagFile), `${basename(flagFile).replace(/\.(json|ya?ml)$/i, '')}.rollout.json`);
}

/** The rollout fields of a flag as Genesis reads them: its own, else the old `config` record's. */
export function rolloutFieldsOf(flag: JsonObjectLike): RolloutFieldValues {
  const config = isJsonObject(flag['config']) ? flag['config'] : {};
  const entries = ROLLOUT_FIELDS.map((field) => {
    const value = Object.hasOwn(flag, field) ? flag[field] : Object.hasOwn(config, field) ? config[field] : null;
    return [field, value ?? null] as const;
  });
  return Object.fromEntries(entries) as RolloutFieldValues;
}

/** Whether an entry applies to the flag as the people's file has it now. */
export function layerEntryApplies(flag: JsonObjectLike, entry: RolloutLayerEntry): boolean {
  const now = rolloutFieldsOf(flag);
  return ROLLOUT_FIELDS.every((field) => JSON.stringify(now[field]) === JSON.stringify(entry.base[field] ?? null));
}

/** Parses a layer file's text; an empty text is no layer. */
export function parseRolloutLayer(text: string, path: string): Result<RolloutLayer | undefined> {
  if (text.trim() === '') return { ok: true, value: undefined };
  const parsed = parseDocumentText(text, path);
  if (!parsed.ok) return { ok: false, error: `Rollout layer is not valid JSON: ${parsed.error}` };
  const layer = parsed.value;
  if (!isJsonObject(layer) || layer['version'] !== 1 || !isJsonObject(layer['flags']))
    return { ok: false, error: `Not a rollout layer (version 1 with "flags"): ${path}` };
  const bad = Object.entries(layer['flags']).find(
    ([, entry]) => !isJsonObject(entry) || !isJsonObject(entry['base']) || !isJsonObject(entry['set']),
  );
  if (bad !== undefined) return { ok: false, error: `Rollout layer entry ${bad[0]} needs "base" and "set": ${path}` };
  return { ok: true, value: layer as unknown as RolloutLayer };
}

/**
 * The document with the layer's entries merged over its flags (a Genesis document only; anything
 * else is returned as it is). An entry whose base no longer matches the flag is left out: the
 * person's edit stands.
 */
export function applyRolloutLayer(document: unknown, layer: RolloutLayer): unknown {
  if (!isGenesisDocument(document) || !isJsonObject(document)) return document;
  const flags = document['flags'] as Readonly<Record<string, unknown>>;
  let changed = false;
  const merged: Record<string, unknown> = {};
  for (const [key, flag] of Object.entries(flags)) {
    const entry = Object.hasOwn(layer.flags, key) ? layer.flags[key] : undefined;
    const applies = entry !== undefined && isJsonObject(flag) && layerEntryApplies(flag, entry);
    merged[key] = applies ? { ...flag, ...entry.set } : flag;
    changed ||= applies;
  }
  return changed ? { ...document, flags: merged } : document;
}

/**
 * The text providers, the server and the CLI load for a flag file: the file's own text when there is
 * no layer or nothing of it applies (so problems are still reported at their line in the file), else
 * the merged document. A layer that cannot be read is ignored here; `deploy status` names the problem.
 */
export function mergeRolloutLayerText(flagText: string, layerText: string | undefined, origin: string): string {
  if (layerText === undefined || layerText.trim() === '') return flagText;
  const layer = parseRolloutLayer(layerText, rolloutLayerPath(origin));
  const document = parseDocumentText(flagText, origin);
  if (!layer.ok || layer.value === undefined || !document.ok) return flagText;
  const merged = applyRolloutLayer(document.value, layer.value);
  return merged === document.value ? flagText : `${JSON.stringify(merged, null, 2)}\n`;
}
