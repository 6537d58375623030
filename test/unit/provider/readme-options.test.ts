import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROVIDER_DEFAULTS, PROVIDER_OPTION_NAMES, PROVIDER_OPTION_VARIABLES } from '../../../src/provider/provider-options.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

/** The provider options table: option name -> its cells. */
function optionRows(): Map<string, string[]> {
  const section = readme.slice(readme.indexOf('## Provider options'));
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
    const name = /^`(\w+)`$/.exec(cells[0] ?? '')?.[1];
    if (name !== undefined) rows.set(name, cells);
  }
  return rows;
}

describe('README provider options table', () => {
  const rows = optionRows();

  it('lists exactly the options the provider accepts, in order', () => {
    expect([...rows.keys()]).toEqual(PROVIDER_OPTION_NAMES);
  });

  it.each(Object.entries(PROVIDER_DEFAULTS))('states the default of %s as the code does', (name, value) => {
    const expected = typeof value === 'function' ? '`Date.now`' : value === console ? '`console`' : `\`${JSON.stringify(value).replaceAll('"', "'")}\``;
    expect(rows.get(name)?.[2]).toBe(expected);
  });

  it.each(PROVIDER_OPTION_NAMES.map((name) => [name]))('names the environment variable of %s as the code does', (name) => {
    const variable = (PROVIDER_OPTION_VARIABLES as Readonly<Record<string, string>>)[name];
    expect(rows.get(name)?.[3]).toBe(variable === undefined ? '' : `\`${variable}\``);
  });
});
