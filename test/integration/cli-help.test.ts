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

  const EXIT_CODE_ROWS = [
    ['0', 'done: files valid, flag evaluated, server stopped cleanly, deployment completed or still running'],
    ['1', 'invalid input: a bad option value, an invalid flag file, a flag not found, a plan that cannot run'],
    [
      '2',
      'a file that cannot be read or parsed (flag file, state file), a lock held by another process, a store that cannot be reached or changed during a push, or an unexpected failure',
    ],
    ['3', 'deploy: the deployment rolled back'],
    ['4', 'deploy: the deployment is paused or was interrupted'],
  ];

  it.each([[[]], [['validate']], [['serve']], [['deploy', 'start']], [['deploy', 'pause']]])(
    'ends the help of %j with the one exit-code table',
    (command) => {
      const help = runCli([...command, '--help']).stdout;
      const table = EXIT_CODE_ROWS.map(([code, meaning]) => `  ${code}  ${meaning}`).join('\n');
      expect(help.endsWith(`\nExit codes:\n${table}\n`)).toBe(true);
    },
  );

  it("is matched by README's exit-code table", () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `(\d)` \| (.*) \|$/gm)].map((match) => [match[1], match[2]]);
    expect(rows).toEqual(EXIT_CODE_ROWS);
  });

  it('shows the --wait default in the form the option takes', () => {
    expect(runCli(['deploy', 'pause', '--help']).stdout).toMatch(/--wait <duration> [^-]*\(default: 30s\)/);
  });

  it('refuses a bad option value in one line naming the option, without the usage', () => {
    const run = runCli(['list', '--at', 'yesterday']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('--at');
  });

  it('prints errors as JSON on stdout with --json, keeping the exit code', () => {
    const run = runCli(['export', 'missing-flags.json', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ error: { exitCode: 2, message: 'File not found: missing-flags.json' } });
    expect(run.stderr).toBe('File not found: missing-flags.json\n');
  });
});
