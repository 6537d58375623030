import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const output = mkdtempSync(path.join(tmpdir(), 'generated-check-'));
afterAll(() => rmSync(output, { recursive: true, force: true }));

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('src/generated (npm run generate)', () => {
  it('is exactly what buf generates from proto/', () => {
    execFileSync(path.join(repoRoot, 'node_modules/.bin/buf'), ['generate', '-o', output], { cwd: repoRoot });
    const fresh = path.join(output, 'src/generated');
    const committed = path.join(repoRoot, 'src/generated');
    expect(filesUnder(committed)).toEqual(filesUnder(fresh));
    for (const file of filesUnder(fresh))
      expect([file, readFileSync(path.join(committed, file), 'utf8')]).toEqual([
        file,
        readFileSync(path.join(fresh, file), 'utf8'),
      ]);
  });
});
