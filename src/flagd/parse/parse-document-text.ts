import { parseDocument } from 'yaml';
import { lineAndColumnAt } from './line-and-column.js';
import { locateJsonSyntaxError } from './locate-json-syntax-error.js';
import type { ParseOutcome } from './parse-outcome.js';

/** Anchors and aliases can expand a small YAML file exponentially; this caps the expansion. */
const MAX_YAML_ALIAS_COUNT = 100;

/**
 * Reads a flagd document's text: YAML when `origin` ends in `.yaml` or `.yml` (as flagd decides),
 * JSON otherwise. Malformed text is rejected with `origin:line:column: reason`.
 */
export function parseDocumentText(text: string, origin: string): ParseOutcome<unknown> {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return isYamlOrigin(origin) ? parseYaml(body, origin) : parseJson(body, origin);
}

/** Whether `origin` names a YAML document (by its extension, as flagd decides). */
export function isYamlOrigin(origin: string): boolean {
  return /\.ya?ml$/i.test(origin);
}

function parseJson(text: string, origin: string): ParseOutcome<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown, warnings: [] };
  } catch (cause) {
    const located = locateJsonSyntaxError(text);
    if (located === undefined) return { ok: false, error: `${origin}: ${messageOf(cause)}` };
    return { ok: false, error: `${at(text, origin, located.offset)}: ${located.message}` };
  }
}

function parseYaml(text: string, origin: string): ParseOutcome<unknown> {
  // YAML 1.2 core schema: `on`/`off`/`yes`/`no` stay strings, so variant names like `on` survive.
  const document = parseDocument(text, { prettyErrors: false, logLevel: 'error', uniqueKeys: true });
  const [error] = document.errors;
  if (error !== undefined) return { ok: false, error: `${at(text, origin, error.pos[0])}: ${error.message}` };
  const warnings = document.warnings.map((warning) => `${at(text, origin, warning.pos[0])}: ${warning.message}`);
  try {
    return { ok: true, value: document.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT }) as unknown, warnings };
  } catch (cause) {
    return { ok: false, error: `${origin}: ${messageOf(cause)}` };
  }
}

function at(text: string, origin: string, offset: number): string {
  const { line, column } = lineAndColumnAt(text, offset);
  return `${origin}:${line}:${column}`;
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
