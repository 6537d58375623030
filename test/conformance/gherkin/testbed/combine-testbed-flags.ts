import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

type JsonObject = { [key: string]: unknown };

/**
 * Builds the text of the testbed's `allFlags.json` the way its launchpad does: every `*.json` of the
 * flags directory not prefixed `selector-`, in file-name order, deep-merged (objects merge key by key,
 * anything else is replaced by the later file).
 */
export function combineTestbedFlags(flagsDir: string): string {
  const combined = readdirSync(flagsDir)
    .filter((name) => name.endsWith('.json') && !name.startsWith('selector-'))
    .sort()
    .reduce<JsonObject>((merged, name) => deepMerge(merged, readJsonObject(path.join(flagsDir, name))), {});
  return JSON.stringify(combined, null, 2);
}

function readJsonObject(filePath: string): JsonObject {
  const parsed: unknown = JSON.parse(readFileSync(filePath, 'utf8'));
  if (!isJsonObject(parsed)) throw new Error(`Not a JSON object: ${filePath}`);
  return parsed;
}

function deepMerge(target: JsonObject, source: JsonObject): JsonObject {
  const merged: JsonObject = { ...target };
  for (const [key, value] of Object.entries(source)) {
    const existing = merged[key];
    merged[key] = isJsonObject(existing) && isJsonObject(value) ? deepMerge(existing, value) : value;
  }
  return merged;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
