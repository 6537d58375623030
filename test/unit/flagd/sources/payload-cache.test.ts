import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PayloadCache } from '../../../../src/flagd/sources/payload-cache.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'payload-cache-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('PayloadCache', () => {
  it('reports a cache never written as File not found', async () => {
    const cachePath = path.join(directory, 'cache.json');
    const read = await new PayloadCache(cachePath).read();
    expect(!read.ok && read.error.message).toBe(`File not found: ${cachePath}`);
  });

  it('keeps the newest of several quick writes and leaves no temporary file', async () => {
    const cache = new PayloadCache(path.join(directory, 'cache.json'));
    await Promise.all(['{"flags":{"a":1}}', '{"flags":{"b":2}}', '{"flags":{"c":3}}'].map((text) => cache.write(text)));
    expect(await cache.read()).toEqual({ ok: true, value: '{"flags":{"c":3}}' });
    expect(readdirSync(directory)).toEqual(['cache.json']);
  });

  it('reports a write into a missing directory by name, keeping nothing behind', async () => {
    const cachePath = path.join(directory, 'missing', 'cache.json');
    const error = await new PayloadCache(cachePath).write('{}');
    expect(error?.message).toMatch(`Cannot write flag cache ${cachePath}`);
    expect(readdirSync(directory)).toEqual([]);
  });
});
