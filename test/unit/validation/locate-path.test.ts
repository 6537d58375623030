import { describe, expect, it } from 'vitest';
import { locatePath } from '../../../src/validation/locate-path.js';

const JSON_TEXT = '{\n  "flags": {\n    "a": { "requires": ["b", "c"] }\n  }\n}\n';
const YAML_TEXT = 'flags:\n  a:\n    requires:\n      - b\n      - c\n';

describe('locatePath', () => {
  it.each([
    [['flags'], 2, 3],
    [['flags', 'a'], 3, 5],
    [['flags', 'a', 'requires'], 3, 12],
    [['flags', 'a', 'requires', 1], 3, 30],
    [['flags', 'a', 'missing_field'], 3, 5],
    [[], 1, 1],
  ] as const)('finds %j in JSON at %i:%i (the property name, or the element)', (path, line, column) => {
    expect(locatePath(JSON_TEXT, 'flags.json', path)).toEqual({ line, column });
  });

  it.each([
    [['flags', 'a'], 2, 3],
    [['flags', 'a', 'requires'], 3, 5],
    [['flags', 'a', 'requires', 1], 5, 9],
    [['flags', 'b'], 1, 1],
  ] as const)('finds %j in YAML at %i:%i', (path, line, column) => {
    expect(locatePath(YAML_TEXT, 'flags.yaml', path)).toEqual({ line, column });
  });

  it('counts columns after a byte-order mark as editors do', () => {
    expect(locatePath(`\uFEFF${JSON_TEXT}`, 'flags.json', ['flags'])).toEqual({ line: 2, column: 3 });
  });
});
