import type { PathSegment } from './genesis-document.js';

/** `['flags', 'a', 'steps', 2, 'at']` → `flags.a.steps[2].at`, the form the CLI prints. */
export function formatProblemPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`))
    .join('');
}

/**
 * Where a flag field is written in a file, most specific first: the flat form wins over the old
 * Python system's nested records (the same precedence `readGenesisDocument` applies).
 */
export const FIELD_LAYERS: readonly (readonly string[])[] = [
  [],
  ['progressive_config'],
  ['config'],
  ['config', 'progressive_config'],
];

/**
 * Maps a problem's logical path (`flags.a.end_date`) to where the value sits in the raw document
 * (`flags.a.config.end_date` in an old Python file), trimmed to the deepest part that exists, so a
 * caller can turn it into a line and column.
 */
export function resolveSourcePath(raw: unknown, path: readonly PathSegment[]): readonly PathSegment[] {
  const [root, flagKey, field, ...rest] = path;
  if (root === 'flags' && typeof flagKey === 'string' && field !== undefined) {
    for (const layer of FIELD_LAYERS) {
      const candidate = [root, flagKey, ...layer, field, ...rest];
      if (valueAt(raw, [root, flagKey, ...layer, field]) !== undefined) return existingPrefix(raw, candidate);
    }
  }
  return existingPrefix(raw, path);
}

function existingPrefix(raw: unknown, path: readonly PathSegment[]): readonly PathSegment[] {
  let length = 0;
  while (length < path.length && valueAt(raw, path.slice(0, length + 1)) !== undefined) length += 1;
  return path.slice(0, length);
}

function valueAt(raw: unknown, path: readonly PathSegment[]): unknown {
  let node = raw;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<PathSegment, unknown>)[segment];
  }
  return node;
}
