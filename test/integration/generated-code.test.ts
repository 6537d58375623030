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

/** Every file under `committed` has the text of the same file under `fresh`, and there are no others. */
function expectSameFiles(committed: string, fresh: string): void {
  expect(filesUnder(committed)).toEqual(filesUnder(fresh));
  for (const file of filesUnder(fresh))
    expect([file, readFileSync(path.join(committed, file), 'utf8')]).toEqual([
      file,
      readFileSync(path.join(fresh, file), 'utf8'),
    ]);
}

describe('src/generated (npm run generate)', () => {
  it('holds exactly what buf generates from proto/ in src/generated/flagd and src/generated/grpc', () => {
    execFileSync(path.join(repoRoot, 'node_modules/.bin/buf'), ['generate', '-o', output], { cwd: repoRoot });
    const folders = new Set(filesUnder(path.join(repoRoot, 'src/generated')).map((file) => file.split(path.sep)[0]));
    expect([...folders]).toEqual(['flagd', 'grpc', 'schema-validators']);
    expectSameFiles(path.join(repoRoot, 'src/generated/flagd'), path.join(output, 'src/generated/flagd'));
    expectSameFiles(path.join(repoRoot, 'src/generated/grpc'), path.join(output, 'src/generated/grpc'));
  });

  it('holds exactly what ajv compiles from schemas/ in src/generated/schema-validators', () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/generate-schema-validators.js'), output], {
      cwd: repoRoot,
    });
    expectSameFiles(
      path.join(repoRoot, 'src/generated/schema-validators'),
      path.join(output, 'src/generated/schema-validators'),
    );
  });
});
