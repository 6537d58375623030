import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  atomicTempPath,
  atomicTempWriter,
  removeOrphanedTempFiles,
  writeFileAtomic,
} from '../../../src/system/write-file-atomic.js';

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

/** The pid of a process that has already exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());
}

describe('temp files left by killed writers (issue 10, item 11)', () => {
  it('are removed by the next write of the same file once older than a minute', async () => {
    const path = join(directory, 'feature_flags.json');
    await writeFile(path, 'v1');
    const orphan = join(directory, `.feature_flags.json.${deadPid()}.0a1b2c3d.tmp`);
    await writeFile(orphan, '{"flags": {"half');
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await utimes(orphan, twoMinutesAgo, twoMinutesAgo);
    await writeFileAtomic(path, 'v2');
    expect(await readdir(directory)).toEqual(['feature_flags.json']);
  });

  it('keep a live writer’s, a recent one’s and other files’ temp files', async () => {
    const path = join(directory, 'feature_flags.json');
    const dead = deadPid();
    const names = [
      `.feature_flags.json.${process.pid}.00000001.tmp`, // a live writer, even an old file
      `.feature_flags.json.${dead}.00000002.tmp`, // a dead writer, but written 30 s ago
      `.other.json.${dead}.00000003.tmp`, // another file's
      'feature_flags.json.tmp', // not named as ours
    ];
    const now = Date.now();
    for (const name of names) await writeFile(join(directory, name), 'x');
    const old = new Date(now - 600_000);
    await utimes(join(directory, names[0] ?? ''), old, old);
    const recent = new Date(now - 30_000);
    await utimes(join(directory, names[1] ?? ''), recent, recent);
    await utimes(join(directory, names[2] ?? ''), old, old);
    await utimes(join(directory, names[3] ?? ''), old, old);
    await removeOrphanedTempFiles(path, now);
    expect((await readdir(directory)).sort()).toEqual([...names].sort());
  });
});
