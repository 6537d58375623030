import { describe, expect, it } from 'vitest';
import { FlagDocumentLoader } from '../../../src/loading/flag-document-loader.js';
import { loadFlagDocument, type LoadOptions } from '../../../src/loading/load-flag-document.js';

const flag = (defaultVariant: string) => ({ state: 'ENABLED', variants: { on: true, off: false }, defaultVariant });
const OPTIONS: LoadOptions = { strict: false, envOverrides: { environment: { B: 'on', C: 'sometimes' }, prefix: '' } };

/** Versions of one file: a flag changed, a schema warning, an override that applies, one that is ignored, a broken text. */
const JSON_VERSIONS = [
  { a: flag('on'), b: flag('off'), c: flag('off') },
  { a: flag('off'), b: flag('off'), c: flag('off') },
  { a: flag('off'), b: flag('off'), c: { ...flag('off'), state: 'WILL-FAIL' } },
  { a: flag('off'), b: flag('on'), c: { ...flag('off'), state: 'WILL-FAIL' } },
].map((flags) => JSON.stringify({ flags }));

const YAML_VERSIONS = [
  'flags:\n  a: { state: ENABLED, variants: { on: true, off: false }, defaultVariant: "on" }\n  b: { state: ENABLED, variants: { on: true, off: false }, defaultVariant: "off" }\n',
  'flags:\n  a: { state: ENABLED, variants: { on: true, off: false }, defaultVariant: "off" }\n  b: { state: ENABLED, variants: { on: true, off: false }, defaultVariant: "off" }\n',
  'flags:\n  a: [unclosed\n',
  'flags:\n  a: { state: ENABLED, variants: { on: true, off: false }, defaultVariant: "off" }\n  b: { state: ENABLED, variants: { on: true, off: false }, defaultVariant: "off" }\n',
];

describe('FlagDocumentLoader', () => {
  it.each([
    ['JSON', 'flags.json', JSON_VERSIONS],
    ['YAML', 'flags.yaml', YAML_VERSIONS],
  ])('gives each version of a %s file what loading it alone gives', (_, origin, versions) => {
    const loader = new FlagDocumentLoader(origin, OPTIONS);
    for (const text of [...versions, ...versions.slice().reverse()]) {
      expect(loader.loadText(text)).toEqual(loadFlagDocument(text, origin, OPTIONS));
    }
  });

  it('hands back the entries of the flags a new version left as they were', () => {
    const loader = new FlagDocumentLoader('flags.json', OPTIONS);
    const first = loader.loadText(JSON_VERSIONS[0] ?? '');
    const second = loader.loadText(JSON_VERSIONS[1] ?? '');
    if (!first.ok || !second.ok) throw new Error('expected both versions to load');
    expect(second.value.flags.get('b')).toBe(first.value.flags.get('b'));
    expect(second.value.flags.get('c')).toBe(first.value.flags.get('c'));
    expect(second.value.flags.get('a')).not.toBe(first.value.flags.get('a'));
  });
});
