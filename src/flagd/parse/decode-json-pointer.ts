import type { PathSegment } from './schema-violation.js';

/**
 * Decodes a JSON pointer (as ajv reports an error's place) into path segments. A part is an index
 * only where the value holds an array, because flag keys may be digits; only own properties are
 * followed, so a `__proto__` key never walks into a prototype.
 */
export function decodeJsonPointer(pointer: string, root: unknown): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let node = root;
  for (const encoded of pointer.slice(1).split('/')) {
    const part = encoded.replaceAll('~1', '/').replaceAll('~0', '~');
    const segment = Array.isArray(node) ? Number(part) : part;
    segments.push(segment);
    node =
      typeof node === 'object' && node !== null && Object.hasOwn(node, segment)
        ? (node as Record<PathSegment, unknown>)[segment]
        : undefined;
  }
  return segments;
}
