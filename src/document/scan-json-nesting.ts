const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** What one pass over a JSON text found: where it first nests too deep, or how many object members it has. */
export type JsonNesting = { readonly tooDeepAt: number } | { readonly members: number };

/**
 * One linear pass over a JSON text, before it is parsed: the offset of the first `[` or `{` that
 * opens level `maxDepth + 1`, or else the number of object members (the colons outside strings;
 * in well-formed JSON each separates one key from its value). Nothing is allocated and nothing
 * recurses, so an 8 MB file of a million levels is refused in milliseconds instead of being
 * parsed, translated and fingerprinted first. On malformed text the count means nothing; the
 * parser reports that text.
 */
export function scanJsonNesting(text: string, maxDepth: number): JsonNesting {
  let depth = 0;
  let members = 0;
  for (let offset = 0; offset < text.length; offset++) {
    const code = text.charCodeAt(offset);
    if (code === QUOTE) offset = closingQuote(text, offset);
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > maxDepth) return { tooDeepAt: offset };
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) depth--;
    else if (code === COLON) members++;
  }
  return { members };
}

/** The offset of the quote that ends the string opened at `start` (one not escaped by a backslash). */
function closingQuote(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length;
}
