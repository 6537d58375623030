import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateCommand } from '../../../src/cli/commands/validate.js';

const folder = mkdtempSync(join(tmpdir(), 'validate-across-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function write(name: string, flags: Record<string, unknown>): string {
  const path = join(folder, name);
  writeFileSync(path, `${JSON.stringify({ format: 'genesis', flags }, null, 2)}\n`);
  return path;
}

describe('validate: requires across the files given', () => {
  const parent = write('parent.json', { orchestration: { enabled: true } });
  const child = write('child.json', { planner: { enabled: true, requires: ['orchestration'] } });
  const typo = write('typo.json', { router: { enabled: true, requires: ['orchestraton'] } });

  it('accepts a child whose parent is in another file given, before or after it', () => {
    expect(validateCommand([parent, child])).toMatchObject({ exitCode: 0, stderr: [] });
    expect(validateCommand([child, parent])).toMatchObject({ exitCode: 0, stderr: [] });
  });

  it('still refuses that child alone, naming only its own file', () => {
    const alone = validateCommand([child]);
    expect(alone.exitCode).toBe(1);
    expect(alone.stderr).toContain(`${child}:7:9  flags.planner.requires[0]  names unknown flag "orchestration"`);
  });

  it('names every file looked in for a missing parent, with the closest key, in text and --json', () => {
    const text = validateCommand([parent, child, typo]);
    expect(text.exitCode).toBe(1);
    expect(text.stderr).toContain(
      `${typo}:7:9  flags.router.requires[0]  names unknown flag "orchestraton" in any of ${parent}, ${child}, ${typo} (did you mean "orchestration"?)`,
    );
    const json = JSON.parse(validateCommand([parent, typo], { json: true }).stdout) as {
      valid: boolean;
      files: { file: string; status: string; problems?: { message: string }[] }[];
    };
    expect(json.valid).toBe(false);
    expect(json.files.map((file) => file.status)).toEqual(['valid', 'invalid']);
    expect(json.files[1]?.problems?.map((problem) => problem.message)).toEqual([
      `names unknown flag "orchestraton" in any of ${parent}, ${typo} (did you mean "orchestration"?)`,
    ]);
  });
});
