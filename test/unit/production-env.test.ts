import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ORCHESTRATOR_DEFAULTS, ORCHESTRATOR_VARIABLES } from '../../examples/orchestrator/orchestrator-settings.js';
import { flagEnvVariableName } from '../../src/loading/env-overrides.js';
import { PROVIDER_DEFAULTS, PROVIDER_OPTION_VARIABLES } from '../../src/provider/provider-options.js';
import { SYNC_DEFAULTS, SYNC_MODE_VARIABLES, SYNC_OPTION_VARIABLES } from '../../src/provider/sync-options.js';
import { SERVE_DEFAULTS, SERVE_VARIABLES } from '../../src/server/serve-config.js';

/*
 * config/production.env.example against the code. The variables the code reads are found, not
 * listed by hand: direct reads (`process.env.X`, `env['X']`) anywhere in src/ and examples/, and every
 * exported `*_VARIABLES` table there, whatever module declares it.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = readFileSync(join(ROOT, 'config', 'production.env.example'), 'utf8').split('\n');

/** `NAME=value` (set, to its default) or `#NAME=value` (unset; its default, or an example value). */
interface Listed {
  readonly name: string;
  readonly value: string;
  readonly commented: boolean;
  readonly line: number;
}

const listed: Listed[] = EXAMPLE.flatMap((text, index) => {
  const match = /^(#?)([A-Z][A-Z0-9_]*)=(.*)$/.exec(text);
  return match === null
    ? []
    : [{ commented: match[1] === '#', name: match[2] as string, value: match[3] as string, line: index }];
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'dist' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const SOURCES = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'examples'))];
const DIRECT_READ = /\b(?:process\.env|env|environment)(?:\.([A-Z][A-Z0-9_]*)\b|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g;
const TABLE = /export const ([A-Z][A-Z0-9_]*_VARIABLES)\b/g;

/** Every variable name in a table; a display string such as `'FLAGD_SYNC_PORT, FLAGD_PORT'` names two. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/,\s*/);
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

async function variablesReadByCode(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const file of SOURCES) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(DIRECT_READ)) found.set((match[1] ?? match[2]) as string, relative(ROOT, file));
    for (const match of text.matchAll(TABLE)) {
      const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const name of strings(module[match[1] as string])) found.set(name, `${relative(ROOT, file)} ${match[1]}`);
    }
  }
  return found;
}

const SHIPPED_FLAG_KEYS = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, 'config', 'feature_flags.json'), 'utf8')) as { flags: object }).flags,
);
const OVERRIDE_VARIABLES = SHIPPED_FLAG_KEYS.map((key) => flagEnvVariableName(key));

/** Each table of variables with the defaults of the same options. */
const TABLES_WITH_DEFAULTS: ReadonlyArray<readonly [variables: object, defaults: object]> = [
  [PROVIDER_OPTION_VARIABLES, PROVIDER_DEFAULTS],
  [SERVE_VARIABLES, SERVE_DEFAULTS],
  [SYNC_OPTION_VARIABLES, SYNC_DEFAULTS],
  [ORCHESTRATOR_VARIABLES, ORCHESTRATOR_DEFAULTS],
];

/** FLAGD_RETRY_GRACE_PERIOD is in seconds, as flagd's, while the option is in milliseconds. */
const SECONDS_VARIABLES = new Set(['FLAGD_RETRY_GRACE_PERIOD']);

/** The default each variable has in the code, as text; a variable of several tables must agree. */
function codeDefaults(): Map<string, string> {
  const defaults = new Map<string, string>();
  for (const [variables, values] of TABLES_WITH_DEFAULTS) {
    for (const [option, names] of Object.entries(variables)) {
      const value: unknown = (values as Readonly<Record<string, unknown>>)[option];
      if (value === undefined || (typeof value === 'object' && !Array.isArray(value))) continue;
      for (const name of strings(names)) {
        // flagd gives FLAGD_PORT two meanings: the port a provider connects to, and the server's evaluation
        // port. The file documents the provider's default; the server's is in docs/SERVE.md.
        if (variables === SERVE_VARIABLES && name === 'FLAGD_PORT') continue;
        const text = Array.isArray(value)
          ? value.join(',')
          : String(SECONDS_VARIABLES.has(name) ? Number(value) / 1000 : value);
        expect(defaults.get(name) ?? text, `${name} has two defaults in the code`).toBe(text);
        defaults.set(name, text);
      }
    }
  }
  return defaults;
}

describe('config/production.env.example', () => {
  it('lists every variable the code reads and every flag override of the shipped flags, and nothing else', async () => {
    const read = await variablesReadByCode();
    const expected = [...new Set([...read.keys(), ...OVERRIDE_VARIABLES])].sort();

    expect(listed.map((entry) => entry.name).sort()).toEqual(expected);
  });

  it('lists each variable once, under a line of its own saying what it does', () => {
    const names = listed.map((entry) => entry.name);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
    const undescribed = listed.filter((entry) => !/^# \S/.test(EXAMPLE[entry.line - 1] ?? ''));
    expect(undescribed.map((entry) => entry.name)).toEqual([]);
  });

  it('sets every variable that has a default to the default of the code, except those whose presence selects sync mode', () => {
    const defaults = codeDefaults();
    const set = listed.filter((entry) => !entry.commented).map((entry) => [entry.name, entry.value]);
    const expected = listed
      .filter((entry) => defaults.has(entry.name) && !SYNC_MODE_VARIABLES.includes(entry.name))
      .map((entry) => [entry.name, defaults.get(entry.name)]);

    expect(set).toEqual(expected);
  });

  it('shows the default of the code on a commented-out line when the variable has one', () => {
    const defaults = codeDefaults();
    const commented = listed
      .filter((entry) => entry.commented && defaults.has(entry.name))
      .map((entry) => [entry.name, entry.value]);

    expect(commented).toEqual(commented.map(([name]) => [name, defaults.get(name as string)]));
  });

  it('leaves every flag override commented out, so that the file alone changes no flag', () => {
    const overrides = listed.filter((entry) => OVERRIDE_VARIABLES.includes(entry.name));
    expect(overrides.length).toBe(SHIPPED_FLAG_KEYS.length);
    expect(overrides.filter((entry) => !entry.commented)).toEqual([]);
  });
});
