import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, requireBuiltCli, runCli } from './cli-harness.js';

const FLAG_COMMANDS = ['validate', 'list', 'eval', 'explain', 'export', 'plan'];

beforeAll(requireBuiltCli);

describe('genesis-flags --help', () => {
  it.each([
    ['validate', '<files...>'],
    ['list', '[files...]'],
    ['eval', '<flag> [files...]'],
    ['explain', '<flag> [files...]'],
    ['export', '[files...]'],
    ['plan', '<flag> [files...]'],
  ])('documents %s and its arguments on stdout with exit code 0', (command, argumentsUsage) => {
    const run = runCli([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: genesis-flags ${command} [options] ${argumentsUsage}`);
  });

  it('lists every flag command in the top-level help', () => {
    const run = runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of FLAG_COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it("is matched by README's Command line table, one row per command, with the same arguments", () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Command line'));
    const rows = [...section.matchAll(/^\| `([a-z]+) ([^`]*)` \|/gm)].map((match) => [match[1], match[2]] as const);
    expect(rows.map(([command]) => command)).toEqual(FLAG_COMMANDS);
    for (const [command, usage] of rows) {
      const help = runCli([command ?? '', '--help']).stdout;
      for (const argument of (usage ?? '').match(/<[a-z]+(?:\.\.\.)?>|\[[a-z]+(?:\.\.\.)?\]/g) ?? [])
        expect(help).toContain(argument);
      for (const option of (usage ?? '').match(/--[a-z-]+/g) ?? []) expect(help).toContain(option);
    }
  });
});
