import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DEPLOY = fileURLToPath(new URL('../../../src/deploy', import.meta.url));

/** Every relative import of `src/deploy` that leaves its own folder for another one below `src/deploy`, as `from -> to`. */
function folderEdges(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  const files = readdirSync(DEPLOY, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith('.ts'));
  for (const file of files) {
    const from = dirname(file);
    const text = readFileSync(join(DEPLOY, file), 'utf8');
    for (const match of text.matchAll(/(?:from |import\()'(\.[^']+)'/g)) {
      const target = relative(DEPLOY, resolve(DEPLOY, from, match[1] as string));
      if (target.startsWith('..')) continue;
      const to = dirname(target);
      if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  return edges;
}

/** A cycle of folders, as `a -> b -> a`, or undefined when the imports between folders form a DAG. */
function findCycle(edges: ReadonlyMap<string, ReadonlySet<string>>): string | undefined {
  const done = new Set<string>();
  const visit = (folder: string, path: readonly string[]): string | undefined => {
    if (path.includes(folder)) return [...path.slice(path.indexOf(folder)), folder].join(' -> ');
    if (done.has(folder)) return undefined;
    for (const next of edges.get(folder) ?? []) {
      const cycle = visit(next, [...path, folder]);
      if (cycle !== undefined) return cycle;
    }
    done.add(folder);
    return undefined;
  };
  for (const folder of edges.keys()) {
    const cycle = visit(folder, []);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

describe('imports between the folders of src/deploy', () => {
  it('point one way: no folder imports, directly or through others, a folder that imports it', () => {
    const edges = folderEdges();
    expect(edges.size).toBeGreaterThan(5);
    expect(findCycle(edges)).toBeUndefined();
  });

  it.each([
    ['.', []],
    ['metrics', ['.']],
    ['analysis', ['.', 'metrics']],
  ])('keep the shared pieces low: %s imports no folder but %j', (folder, allowed) => {
    const above = [...(folderEdges().get(folder) ?? [])].filter((to) => !allowed.includes(to));
    expect(above).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const edges = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(findCycle(edges)).toBe('a -> b -> c -> a');
  });
});
