/** Where a JSON text first breaks the grammar, and what was expected there. */
export interface JsonSyntaxError {
  readonly offset: number;
  readonly message: string;
}

type Expected = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
const LITERALS = ['true', 'false', 'null'] as const;

/**
 * Finds the first syntax error in a JSON text. `JSON.parse` reports no position for most errors on
 * Node 20, so this scanner runs only after it has failed. It keeps an explicit stack rather than
 * recursing, so any nesting depth is safe. Returns undefined for a well-formed text.
 */
export function locateJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const containers: ('{' | '[')[] = [];
  let expected: Expected = 'value';
  let offset = skipWhitespace(text, 0);
  while (offset < text.length) {
    if (expected === 'end') return unexpected(text, offset, 'expected the end of the document');
    const step = scanToken(text, offset, expected, containers);
    if ('message' in step) return step;
    expected = step.expected;
    offset = skipWhitespace(text, step.offset);
  }
  return expected === 'end' ? undefined : { offset: text.length, message: 'Unexpected end of input' };
}

interface Step {
  readonly offset: number;
  readonly expected: Expected;
}

function scanToken(
  text: string,
  offset: number,
  expected: Expected,
  containers: ('{' | '[')[],
): Step | JsonSyntaxError {
  const char = text[offset];
  const afterValue = (): Expected => (containers.length === 0 ? 'end' : 'comma-or-close');
  switch (expected) {
    case 'colon':
      return char === ':'
        ? { offset: offset + 1, expected: 'value' }
        : unexpected(text, offset, "expected ':' after a property name");
    case 'comma-or-close': {
      const close = containers.at(-1) === '{' ? '}' : ']';
      if (char === ',') return { offset: offset + 1, expected: close === '}' ? 'key' : 'value' };
      if (char !== close) return unexpected(text, offset, `expected ',' or '${close}'`);
      containers.pop();
      return { offset: offset + 1, expected: afterValue() };
    }
    case 'key':
    case 'key-or-close':
      if (char === '}' && expected === 'key-or-close') {
        containers.pop();
        return { offset: offset + 1, expected: afterValue() };
      }
      if (char !== '"') return unexpected(text, offset, 'expected a property name in double quotes');
      return continueAfter(scanString(text, offset), 'colon');
    default:
      if (char === ']' && expected === 'value-or-close') {
        containers.pop();
        return { offset: offset + 1, expected: afterValue() };
      }
      if (char === '{' || char === '[') {
        containers.push(char);
        return { offset: offset + 1, expected: char === '{' ? 'key-or-close' : 'value-or-close' };
      }
      return continueAfter(scanScalar(text, offset), afterValue());
  }
}

function continueAfter(end: number | JsonSyntaxError, expected: Expected): Step | JsonSyntaxError {
  return typeof end === 'number' ? { offset: end, expected } : end;
}

function scanScalar(text: string, offset: number): number | JsonSyntaxError {
  if (text[offset] === '"') return scanString(text, offset);
  const literal = LITERALS.find((word) => text.startsWith(word, offset));
  if (literal !== undefined) return offset + literal.length;
  NUMBER.lastIndex = offset;
  if (NUMBER.test(text)) return NUMBER.lastIndex;
  return unexpected(text, offset, 'expected a value');
}

function scanString(text: string, start: number): number | JsonSyntaxError {
  let offset = start + 1;
  while (offset < text.length) {
    const code = text.charCodeAt(offset);
    if (code === 0x22) return offset + 1;
    if (code < 0x20) return { offset, message: 'Bad control character in string (escape it, e.g. \\n)' };
    if (code !== 0x5c) {
      offset += 1;
      continue;
    }
    ESCAPE.lastIndex = offset;
    if (!ESCAPE.test(text)) return { offset, message: 'Bad escape sequence in string' };
    offset = ESCAPE.lastIndex;
  }
  return { offset: start, message: 'Unterminated string' };
}

function skipWhitespace(text: string, offset: number): number {
  let index = offset;
  while (index < text.length && ' \t\n\r'.includes(text.charAt(index))) index += 1;
  return index;
}

function unexpected(text: string, offset: number, expectation: string): JsonSyntaxError {
  const token = String.fromCodePoint(text.codePointAt(offset) ?? 0);
  return { offset, message: `Unexpected token '${token}', ${expectation}` };
}
