import { describe, expect, it } from 'vitest';
import { FlagLoader, type LoadOptions } from '../../../src/loading/flag-loader.js';
import { loadFlagDocument } from '../../../src/loading/load-flag-document.js';

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

describe('FlagLoader reloading one origin', () => {
  it.each([
    ['JSON', 'flags.json', JSON_VERSIONS],
    ['YAML', 'flags.yaml', YAML_VERSIONS],
  ])('gives each version of a %s file what loading it alone gives', (_, origin, versions) => {
    const loader = new FlagLoader([origin], OPTIONS);
    for (const text of [...versions, ...versions.slice().reverse()]) {
      const loaded = loader.load(origin, { text });
      const set = loaded.ok ? { ok: true, value: loaded.value.layer.set, warnings: loaded.warnings } : loaded;
      expect(set).toEqual(loadFlagDocument(text, origin, OPTIONS));
    }
  });

  it('hands back the entries of the flags a new version left as they were', () => {
    const loader = new FlagLoader(['flags.json'], OPTIONS);
    const first = loader.load('flags.json', { text: JSON_VERSIONS[0] ?? '' });
    const second = loader.load('flags.json', { text: JSON_VERSIONS[1] ?? '' });
    if (!first.ok || !second.ok) throw new Error('expected both versions to load');
    const [before, after] = [first.value.layer.set.flags, second.value.layer.set.flags];
    expect(after.get('b')).toBe(before.get('b'));
    expect(after.get('c')).toBe(before.get('c'));
    expect(after.get('a')).not.toBe(before.get('a'));
  });
});
