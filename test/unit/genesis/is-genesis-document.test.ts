import { describe, expect, it } from 'vitest';
import { isGenesisDocument } from '../../../src/genesis/is-genesis-document.js';

describe('isGenesisDocument', () => {
  it.each([
    ['flags with enabled', { flags: { a: { enabled: true } } }],
    ['old Python flags under config', { flags: { a: { config: { enabled: true } } } }],
    ['a declared format, whatever the flags', { format: 'genesis', flags: {} }],
    ['a relative $schema naming ours', { $schema: '../schemas/genesis-flags.schema.json', flags: {} }],
    ['our schema id', { $schema: 'urn:genesis-flags:schemas:genesis-flags.schema.json', flags: {} }],
  ])('recognises %s', (_title, doc) => {
    expect(isGenesisDocument(doc)).toBe(true);
  });

  it.each([
    ['a flagd document', { flags: { a: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' } } }],
    ['a document declaring another format', { format: 'flagd', flags: { a: { enabled: true } } }],
    ['flags mixing both shapes', { flags: { a: { enabled: true }, b: { state: 'ENABLED', variants: { x: 1 } } } }],
    ['an empty flag set', { flags: {} }],
    [
      "flagd's $schema with flagd flags",
      { $schema: 'https://flagd.dev/schema/v0/flags.json', flags: { a: { state: 'DISABLED', variants: { x: 1 } } } },
    ],
    ['not an object', [{ flags: {} }]],
    ['null', null],
  ])('does not take %s for Genesis', (_title, doc) => {
    expect(isGenesisDocument(doc)).toBe(false);
  });
});
