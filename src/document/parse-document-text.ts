import { findDuplicateKey } from './find-duplicate-key.js';
import { lineAndColumnAt } from './line-and-column.js';
import { locateJsonSyntaxError } from './locate-json-syntax-error.js';
import type { ResultWithWarnings } from '../errors/result.js';
import { scanJsonNesting } from './scan-json-nesting.js';
import { yamlLibrary } from './yaml-library.js';

/** Anchors and aliases can expand a small YAML file exponentially; this caps the expansion. */
const MAX_YAML_ALIAS_COUNT = 100;
/**
 * Deepest nesting of arrays and objects a JSON document may have: room for a rule at the
 * 128-level limit inside `flags.<key>.targeting` or `$evaluators.<name>`, twice over. Deeper
 * documents are refused whole, before they are parsed.
 */
export const MAX_DOCUMENT_DEPTH = 256;

/**
 * Reads a flagd document's text: YAML when `origin` ends in `.yaml` or `.yml` (as flagd decides),
 * JSON otherwise. Malformed text, a JSON document nesting deeper than `MAX_DOCUMENT_DEPTH` and a
 * key written twice in one object (an error in YAML too) are rejected with `origin:line:column: reason`.
 */
export function parseDocumentText(text: string, origin: string): ResultWithWarnings<unknown> {
  const body = documentBody(text);
  return isYamlOrigin(origin) ? parseYaml(body, origin) : parseJson(body, origin);
}

/** The text a document is read from: past a leading byte-order mark, from which lines and columns count. */
export function documentBody(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Whether `origin` names a YAML document (by its extension, as flagd decides). */
export function isYamlOrigin(origin: string): boolean {
  return /\.ya?ml$/i.test(origin);
}

function parseJson(text: string, origin: string): ResultWithWarnings<unknown> {
  const nesting = scanJsonNesting(text, MAX_DOCUMENT_DEPTH);
  if ('tooDeepAt' in nesting) {
    const problem = `the document nests arrays and objects deeper than ${MAX_DOCUMENT_DEPTH} levels`;
    return { ok: false, error: `${at(text, origin, nesting.tooDeepAt)}: ${problem}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const located = locateJsonSyntaxError(text);
    if (located === undefined) return { ok: false, error: `${origin}: ${messageOf(cause)}` };
    return { ok: false, error: `${at(text, origin, located.offset)}: ${located.message}` };
  }
  // Fewer members parsed than written means a key came twice: only then is the text walked again.
  const duplicate = countMembers(value) === nesting.members ? undefined : findDuplicateKey(text);
  if (duplicate === undefined) return { ok: true, value, warnings: [] };
  const { key, firstOffset, offset } = duplicate;
  const problem = `duplicate key ${JSON.stringify(key)}, first written at ${at(text, origin, firstOffset)}`;
  return { ok: false, error: `${at(text, origin, offset)}: ${problem}` };
}

/**
 * The members of every object in a parsed JSON value (whose depth the scan has bounded). `for...in`
 * allocates nothing; JSON.parse builds plain objects, so it sees exactly their own keys.
 */
function countMembers(root: unknown): number {
  let members = 0;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const next = pending.pop();
    if (Array.isArray(next)) {
      for (const child of next as unknown[]) if (typeof child === 'object' && child !== null) pending.push(child);
    } else if (typeof next === 'object' && next !== null) {
      for (const key in next) {
        members++;
        const child = (next as Record<string, unknown>)[key];
        if (typeof child === 'object' && child !== null) pending.push(child);
      }
    }
  }
  return members;
}
function parseYaml(text: string, origin: string): ResultWithWarnings<unknown> {
  // YAML 1.2 core schema: `on`/`off`/`yes`/`no` stay strings, so variant names like `on` survive.
  const document = yamlLibrary().parseDocument(text, { prettyErrors: false, logLevel: 'error', uniqueKeys: true });
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
