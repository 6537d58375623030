/** A 1-based position in a text, as editors show it. */
export interface LineAndColumn {
  readonly line: number;
  readonly column: number;
}

/**
 * Converts a UTF-16 offset into a line and column. Columns count code points, so a character outside
 * the Basic Multilingual Plane (an emoji) moves the column by one, as in editors.
 */
export function lineAndColumnAt(text: string, offset: number): LineAndColumn {
  const clamped = Math.max(0, Math.min(offset, text.length));
  const before = text.slice(0, clamped);
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let index = before.indexOf('\n'); index !== -1; index = before.indexOf('\n', index + 1)) line += 1;
  return { line, column: codePointsBetween(text, lineStart, clamped) + 1 };
}

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/**
 * Code points in `text` from `start` to `end`: UTF-16 units less one per surrogate pair, found by a
 * regular expression rather than by spreading the line into characters, which took 100 ms for the
 * one line of a minified 8 MB file.
 */
function codePointsBetween(text: string, start: number, end: number): number {
  const pairs = text.slice(start, end).match(SURROGATE_PAIR)?.length ?? 0;
  return end - start - pairs;
}
