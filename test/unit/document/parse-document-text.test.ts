import { describe, expect, it } from 'vitest';
import { parseDocumentText } from '../../../src/document/parse-document-text.js';

function errorOf(text: string, origin: string): string {
  const outcome = parseDocumentText(text, origin);
  if (outcome.ok) throw new Error(`expected ${origin} to be rejected`);
  return outcome.error;
}

describe('parseDocumentText with JSON', () => {
  it('rejects a key written twice in one object, naming both places, as for YAML', () => {
    // JSON.parse would keep the second silently: the flag below would come out off.
    const text =
      '{\n  "flags": {\n    "beta": { "defaultVariant": "on" },\n    "beta": { "defaultVariant": "off" }\n  }\n}';
    expect(errorOf(text, 'config/x.json')).toBe(
      'config/x.json:4:5: duplicate key "beta", first written at config/x.json:3:5',
    );
  });

  it('compares keys as parsed, so an escaped spelling is the same key', () => {
    expect(errorOf('{"on": 1, "\\u006fn": 2}', 'x.json')).toBe(
      'x.json:1:11: duplicate key "on", first written at x.json:1:2',
    );
  });

  it('accepts the same key in different objects, and colons and brackets inside strings', () => {
    const text = '{"a": {"x": 1}, "b": {"x": [1]}, "s": "a:b\\"{[", "__proto__": {"x": 2}}';
    const outcome = parseDocumentText(text, 'x.json');
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(Object.keys(outcome.value as object)).toEqual(['a', 'b', 's', '__proto__']);
  });

  it('rejects a document nesting deeper than 256 levels before parsing it, naming where', () => {
    const depth = 1_000_000;
    const text = `{"flags": {}, "x": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
    // The first bracket over the limit is the 256th "[" (the root object is level 1), after 19 characters.
    expect(errorOf(text, 'deep.json')).toBe(
      'deep.json:1:275: the document nests arrays and objects deeper than 256 levels',
    );
  });

  it('accepts a document nesting exactly 256 levels', () => {
    const inner = 255;
    const outcome = parseDocumentText(`{"x": ${'['.repeat(inner)}${']'.repeat(inner)}}`, 'x.json');
    expect(outcome.ok).toBe(true);
  });

  it('parses a JSON document', () => {
    const outcome = parseDocumentText('{"flags": {"a": {"state": "ENABLED"}}}', 'config/x.json');
    expect(outcome).toEqual({ ok: true, value: { flags: { a: { state: 'ENABLED' } } }, warnings: [] });
  });

  it('names origin, line and column of a missing value', () => {
    const text = '{\n  "flags": {\n    "a": { "state": }\n  }\n}';
    expect(errorOf(text, 'config/x.json')).toBe("config/x.json:3:21: Unexpected token '}', expected a value");
  });

  it.each([
    [
      'a trailing comma in an object',
      '{"a": 1,}',
      "config/x.json:1:9: Unexpected token '}', expected a property name in double quotes",
    ],
    ['a trailing comma in an array', '[1, 2,]', "config/x.json:1:7: Unexpected token ']', expected a value"],
    ['a missing colon', '{"a" 1}', "config/x.json:1:6: Unexpected token '1', expected ':' after a property name"],
    ['a missing comma', '{"a": 1 "b": 2}', "config/x.json:1:9: Unexpected token '\"', expected ',' or '}'"],
    [
      'a single-quoted key',
      "{'a': 1}",
      "config/x.json:1:2: Unexpected token ''', expected a property name in double quotes",
    ],
    ['an unterminated string', '{"a": "b}', 'config/x.json:1:7: Unterminated string'],
    [
      'a raw line break in a string',
      '{"a": "b\nc"}',
      'config/x.json:1:9: Bad control character in string (escape it, e.g. \\n)',
    ],
    ['a bad escape', '{"a": "\\x41"}', 'config/x.json:1:8: Bad escape sequence in string'],
    ['text after the document', '{} {}', "config/x.json:1:4: Unexpected token '{', expected the end of the document"],
    ['an empty file', '', 'config/x.json:1:1: Unexpected end of input'],
    ['a truncated document', '{"flags": {', 'config/x.json:1:12: Unexpected end of input'],
    ['a bare word', '{"a": yes}', "config/x.json:1:7: Unexpected token 'y', expected a value"],
  ])('reports %s with its position', (_, text, expected) => {
    expect(errorOf(text, 'config/x.json')).toBe(expected);
  });

  it('counts columns in characters, so an emoji before the error counts once', () => {
    expect(errorOf('{"😀": }', 'x.json')).toBe("x.json:1:7: Unexpected token '}', expected a value");
  });

  it('counts lines across Windows line endings', () => {
    expect(errorOf('{\r\n  "a": 1,\r\n}', 'x.json')).toBe(
      "x.json:3:1: Unexpected token '}', expected a property name in double quotes",
    );
  });

  it('ignores a leading byte order mark', () => {
    expect(parseDocumentText('\uFEFF{"flags": {}}', 'x.json')).toEqual({
      ok: true,
      value: { flags: {} },
      warnings: [],
    });
  });

  it('reads YAML-looking text as JSON when the origin is not .yaml or .yml', () => {
    expect(errorOf('flags: {}', 'flags.txt')).toBe("flags.txt:1:1: Unexpected token 'f', expected a value");
  });

  it('reports the nesting, not a syntax error further on, in a malformed document that nests too deep', () => {
    const text = `${'['.repeat(100_000)}}`;
    expect(errorOf(text, 'deep.json')).toBe(
      'deep.json:1:257: the document nests arrays and objects deeper than 256 levels',
    );
  });

  it('locates a syntax error after nesting within the limit', () => {
    const text = `${'['.repeat(256)}}`;
    expect(errorOf(text, 'deep.json')).toBe("deep.json:1:257: Unexpected token '}', expected a value");
  });

  it('keeps a __proto__ key as a plain property without touching any prototype', () => {
    const outcome = parseDocumentText('{"flags": {"__proto__": {"state": "DISABLED"}}}', 'x.json');
    expect(outcome.ok).toBe(true);
    const flags = (outcome.ok ? outcome.value : undefined) as { flags: object };
    expect(Object.hasOwn(flags.flags, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(flags.flags)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['state']).toBeUndefined();
  });
});

describe('parseDocumentText with YAML', () => {
  const yaml = [
    'flags:',
    '  my-flag:',
    '    state: ENABLED',
    '    variants:',
    '      on: true',
    '      off: false',
    '    defaultVariant: on',
    '',
  ].join('\n');

  it.each(['config/flags.yaml', 'config/flags.yml', 'config/FLAGS.YAML'])('parses %s as YAML', (origin) => {
    const outcome = parseDocumentText(yaml, origin);
    expect(outcome.ok && outcome.value).toEqual({
      flags: { 'my-flag': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' } },
    });
  });

  it('keeps on/off/yes/no as strings (YAML 1.2), so variant names survive', () => {
    const outcome = parseDocumentText('variants:\n  yes: 1\n  no: 0\ndefaultVariant: off\n', 'x.yaml');
    expect(outcome.ok && outcome.value).toEqual({ variants: { yes: 1, no: 0 }, defaultVariant: 'off' });
  });

  it('names origin, line and column of a duplicate key', () => {
    const text = 'flags:\n  a:\n    state: ENABLED\n    state: DISABLED\n';
    expect(errorOf(text, 'config/x.yaml')).toMatch(/^config\/x\.yaml:4:5: .*unique/);
  });

  it('names the line of an unterminated flow mapping', () => {
    const text = 'flags:\n  a: { state: ENABLED\n';
    expect(errorOf(text, 'x.yml')).toMatch(/^x\.yml:\d+:\d+: /);
  });

  it('rejects a document whose aliases expand beyond the limit', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 0; level < 12; level += 1) {
      const name = `l${level}`;
      const previous = level === 0 ? 'a' : `l${level - 1}`;
      lines.push(
        `${name}: &${name} [*${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}]`,
      );
    }
    expect(errorOf(lines.join('\n'), 'bomb.yaml')).toMatch(/^bomb\.yaml: /);
  });

  it('keeps a __proto__ key as a plain property', () => {
    const outcome = parseDocumentText('flags:\n  __proto__:\n    state: DISABLED\n', 'x.yaml');
    const flags = (outcome.ok ? outcome.value : undefined) as { flags: object };
    expect(Object.hasOwn(flags.flags, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(flags.flags)).toBe(Object.prototype);
  });
});
