import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  PROVIDER_DEFAULTS,
  PROVIDER_OPTION_NAMES,
  PROVIDER_OPTION_VARIABLES,
} from '../../../src/provider/provider-options.js';
import { SYNC_DEFAULTS, SYNC_OPTION_NAMES, SYNC_OPTION_VARIABLES } from '../../../src/provider/sync-options.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

/** The option table under a heading (up to the next heading): option name -> its cells. */
function optionRows(heading: string): Map<string, string[]> {
  const start = readme.indexOf(`${heading}\n`);
  const end = readme.slice(start + heading.length).search(/\n#{2,3} /);
  const section = readme.slice(start, end === -1 ? undefined : start + heading.length + end);
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((cell) => cell.trim());
    const name = /^`(\w+)`$/.exec(cells[0] ?? '')?.[1];
    if (name !== undefined) rows.set(name, cells);
  }
  return rows;
}

/** A default as the tables write it: the JSON value in backticks, with single quotes. */
function writtenDefault(value: unknown): string {
  if (typeof value === 'function') return '`Date.now`';
  if (value === console) return '`console`';
  return `\`${JSON.stringify(value).replaceAll('"', "'")}\``;
}

describe('README provider options table', () => {
  const rows = optionRows('## Provider options');

  it('lists exactly the options the provider accepts, in order', () => {
    expect([...rows.keys()]).toEqual(PROVIDER_OPTION_NAMES);
  });

  it.each(Object.entries(PROVIDER_DEFAULTS))('states the default of %s as the code does', (name, value) => {
    expect(rows.get(name)?.[2]).toBe(writtenDefault(value));
  });

  it.each(PROVIDER_OPTION_NAMES.map((name) => [name]))(
    'names the environment variable of %s as the code does',
    (name) => {
      const variable = (PROVIDER_OPTION_VARIABLES as Readonly<Record<string, string>>)[name];
      expect(rows.get(name)?.[3]).toBe(variable === undefined ? '' : `\`${variable}\``);
    },
  );
});

describe('README sync options table', () => {
  const rows = optionRows('### Sync options');

  it('lists exactly the fields the sync option accepts, in order', () => {
    expect([...rows.keys()]).toEqual(SYNC_OPTION_NAMES);
  });

  it.each(SYNC_OPTION_NAMES.map((name) => [name]))('states the default of %s as the code does', (name) => {
    const value = (SYNC_DEFAULTS as Readonly<Record<string, unknown>>)[name];
    expect(rows.get(name)?.[2]).toBe(value === undefined ? 'none' : writtenDefault(value));
  });

  it.each(SYNC_OPTION_NAMES.map((name) => [name]))('names the environment variable of %s as the code does', (name) => {
    const variable = SYNC_OPTION_VARIABLES[name];
    expect(rows.get(name)?.[3]).toBe(variable === undefined ? '' : `\`${variable}\``);
  });
});
