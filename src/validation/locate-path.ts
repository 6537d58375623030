import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { Node as YamlNode } from 'yaml';
import { lineAndColumnAt, type LineAndColumn } from '../document/line-and-column.js';
import { documentBody, isYamlOrigin } from '../document/parse-document-text.js';
import { yamlLibrary } from '../document/yaml-library.js';
import type { PathSegment } from '../genesis/genesis-document.js';

/**
 * Where a value sits in a file's text, as `line:column` of the property name that holds it (or of
 * the value, for an array element or the root). A path that leads nowhere is located at its deepest
 * existing part, so a missing field points at the object that lacks it. JSON goes through
 * jsonc-parser's syntax tree, YAML (by extension, as the loader decides) through the yaml library's.
 */
export function locatePath(text: string, origin: string, path: readonly PathSegment[]): LineAndColumn {
  // Read as the loader reads: past a byte-order mark, and as YAML or JSON by the same rule.
  const body = documentBody(text);
  const offset = isYamlOrigin(origin) ? yamlOffset(body, path) : jsonOffset(body, path);
  return lineAndColumnAt(body, offset);
}

function jsonOffset(text: string, path: readonly PathSegment[]): number {
  const root = parseTree(text);
  if (root === undefined) return 0;
  for (let length = path.length; length > 0; length -= 1) {
    const node = findNodeAtLocation(root, [...path.slice(0, length)]);
    if (node !== undefined) return holderOffset(node);
  }
  return root.offset;
}

function holderOffset(node: JsonNode): number {
  return node.parent?.type === 'property' ? node.parent.offset : node.offset;
}

/** Walks the YAML tree one segment at a time, remembering where the deepest match was written. */
function yamlOffset(text: string, path: readonly PathSegment[]): number {
  const { isMap, isScalar, isSeq, parseDocument } = yamlLibrary();
  let node: unknown = parseDocument(text).contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      offset = rangeStart(pair.key);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
      offset = rangeStart(node);
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number {
  return (node as YamlNode | null | undefined)?.range?.[0] ?? 0;
}
