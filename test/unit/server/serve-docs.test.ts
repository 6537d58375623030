import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVE_DEFAULTS, SERVE_VARIABLES } from '../../../src/server/serve-config.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The rows of docs/SERVE.md's option table, keyed by option name. */
function optionTable(): Map<string, { environment: string; defaultValue: string }> {
  const text = readFileSync(path.join(repoRoot, 'docs/SERVE.md'), 'utf8');
  const section = text.slice(text.indexOf('| option | flag | environment | default |'));
  const rows = section
    .split('\n')
    .slice(2)
    .filter((line) => line.startsWith('|'));
  return new Map(
    rows.map((row) => {
      const [name = '', , environment = '', defaultValue = ''] = row
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      return [name, { environment, defaultValue }];
    }),
  );
}

/** Options with no command-line flag (timings tests and embedders tune); the table lists the rest. */
const INTERNAL_TIMINGS: readonly string[] = ['debounceMs', 'startupGraceMs', 'shutdownGraceMs'];

describe('docs/SERVE.md option table', () => {
  const table = optionTable();

  it.each(Object.entries(SERVE_DEFAULTS).filter(([name]) => !INTERNAL_TIMINGS.includes(name)))(
    'states the default of %s',
    (name, value) => {
      const expected = Array.isArray(value)
        ? value.join(', ')
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
      expect(table.get(name)?.defaultValue).toBe(`\`${expected}\``);
    },
  );

  it.each(Object.entries(SERVE_VARIABLES))('names the environment variables of %s', (name, variables) => {
    const cell = table.get(name)?.environment ?? '';
    for (const variable of [variables].flat()) expect(cell).toContain(`\`${variable}\``);
  });
});
