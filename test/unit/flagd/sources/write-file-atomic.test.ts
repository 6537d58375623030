import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atomicTempPath, atomicTempWriter, writeFileAtomic } from '../../../../src/flagd/sources/write-file-atomic.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'write-file-atomic-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the file, keeps its mode and leaves no temp file', async () => {
    const path = join(directory, 'feature_flags.json');
    await writeFile(path, 'old text');
    await chmod(path, 0o600);
    await writeFileAtomic(path, 'new text');
    expect(await readFile(path, 'utf8')).toBe('new text');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(directory)).toEqual(['feature_flags.json']);
  });

  it('rejects a write into a missing directory and leaves nothing behind', async () => {
    await expect(writeFileAtomic(join(directory, 'missing', 'x.json'), '{}')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(directory)).toEqual([]);
  });
});

describe('atomicTempWriter', () => {
  it('reads the writer pid back from the temp path of the same file only', () => {
    const path = join(directory, 'state.json');
    const temp = atomicTempPath(path, 'abcd', 4242);
    expect(temp).toBe(join(directory, '.state.json.4242.abcd.tmp'));
    expect(atomicTempWriter(path, '.state.json.4242.abcd.tmp')).toBe(4242);
    expect(atomicTempWriter(join(directory, 'other.json'), '.state.json.4242.abcd.tmp')).toBeUndefined();
    expect(atomicTempWriter(path, 'state.json')).toBeUndefined();
  });
});
