import { describe, expect, it } from 'vitest';
import { FlagStore } from '../../../src/flagd/flag-store.js';
import { FlagLoader } from '../../../src/loading/flag-loader.js';
import { loadFlagDocument } from '../../../src/loading/load-flag-document.js';

const STATIC = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' };
const json = (flags: Record<string, unknown>) => JSON.stringify({ flags });

describe('loadFlagDocument', () => {
  it('serves a Genesis canary list of 100,000 users, which counts as one list and not 100,000 rule nodes', () => {
    const users = Array.from({ length: 100_000 }, (_, i) => `user-${i}`);
    const document = { flags: { canary: { enabled: true, rollout_strategy: 'canary', canary_users: users } } };
    const outcome = loadFlagDocument(JSON.stringify(document), 'flags.json', { strict: false });
    if (!outcome.ok) throw new Error(outcome.error);
    const store = new FlagStore();
    store.replace(outcome.value);
    const env = { nowSeconds: () => 1_700_000_000 };
    expect(store.evaluate('canary', 'boolean', false, { targetingKey: 'user-99999' }, env)).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
    });
    expect(store.evaluate('canary', 'boolean', true, { targetingKey: 'user-100000' }, env)).toMatchObject({
      value: false,
      variant: 'off',
    });
  });

  it('refuses an 8 MB document of a million levels at parsing, before any flag is translated or fingerprinted', () => {
    const depth = 1_000_000;
    const rule = `${'{"!":['.repeat(depth)}true${']}'.repeat(depth)}`;
    const text = `{"flags": {"deep": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on", "targeting": ${rule}}}}`;
    expect(text.length).toBeGreaterThan(8_000_000);
    const outcome = loadFlagDocument(text, 'flags.json', { strict: false });
    // Refused whole, by the parse step (the only step that reports origin:line:column for nesting): level 257
    // is the "[" of the 127th `{"!":[` (levels 4 and 5 are the first), after 103 characters of prefix.
    expect(outcome).toEqual({
      ok: false,
      error: 'flags.json:1:865: the document nests arrays and objects deeper than 256 levels',
    });
  });

  it('serves a Genesis flag named "__proto__" like any other key, as flagd does, and lets flags require it', () => {
    const text = JSON.stringify({
      flags: { b: { enabled: true, requires: ['__proto__'] }, c: { enabled: true, requires: ['!__proto__'] } },
    }).replace('{"b"', '{"__proto__": {"enabled": true}, "b"');
    const outcome = loadFlagDocument(text, 'flags.json', { strict: false });
    if (!outcome.ok) throw new Error(outcome.error);
    expect([...outcome.value.flags.keys()]).toEqual(['__proto__', 'b', 'c']);
    const store = new FlagStore();
    store.replace(outcome.value);
    const env = { nowSeconds: () => 0 };
    expect(store.evaluate('__proto__', 'boolean', false, {}, env)).toMatchObject({ value: true, reason: 'STATIC' });
    expect(store.evaluate('b', 'boolean', false, {}, env).value).toBe(true);
    expect(store.evaluate('c', 'boolean', true, {}, env).value).toBe(false);
    expect(Object.getPrototypeOf(outcome.value.flags)).toBe(Map.prototype);
  });

  it('names "__proto__" when a Genesis flag requires it and no such flag exists', () => {
    const outcome = loadFlagDocument(json({ a: { enabled: true, requires: ['__proto__'] } }), 'flags.json', {
      strict: false,
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toContain('flags.a.requires[0]  names unknown flag "__proto__"');
  });

  it('serves a flagd `in` list of 99,999 IDs', () => {
    const ids = Array.from({ length: 99_999 }, (_, i) => `id-${i}`);
    const flag = { ...STATIC, defaultVariant: 'off', targeting: { if: [{ in: [{ var: 'id' }, ids] }, 'on', 'off'] } };
    const outcome = loadFlagDocument(json({ listed: flag }), 'flags.json', { strict: false });
    if (!outcome.ok) throw new Error(outcome.error);
    const store = new FlagStore();
    store.replace(outcome.value);
    const resolution = store.evaluate('listed', 'boolean', false, { id: 'id-99998' }, { nowSeconds: () => 0 });
    expect(resolution).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
  });

  it('loads a JSON document into a normalised set', () => {
    const outcome = loadFlagDocument(json({ a: STATIC }), 'flags.json', { strict: false });
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect([...outcome.value.flags.keys()]).toEqual(['a']);
  });

  it('reads YAML when the origin ends in .yaml', () => {
    const yaml =
      'flags:\n  a:\n    state: ENABLED\n    variants: { on: true, off: false }\n    defaultVariant: "off"\n';
    const outcome = loadFlagDocument(yaml, 'flags.yaml', { strict: false });
    expect(outcome.ok && outcome.value.flags.get('a')?.definition.defaultVariant).toBe('off');
  });

  it('rejects malformed JSON naming origin, line and column', () => {
    // Line 2 is `  "flags": }`: the brace after `"flags": ` sits in column 12.
    const outcome = loadFlagDocument('{\n  "flags": }\n', 'conf/flags.json', { strict: false });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toMatch(/^conf\/flags\.json:2:12: /);
  });

  it('applies environment overrides before normalising, keeping their warnings in the outcome and the set', () => {
    const environment = { A: 'off', B: 'sometimes' };
    const outcome = loadFlagDocument(json({ a: STATIC, b: STATIC }), 'flags.json', {
      strict: false,
      envOverrides: { environment, prefix: '' },
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value.flags.get('a')?.definition).toMatchObject({
      defaultVariant: 'off',
      metadata: { source: 'env' },
    });
    expect(outcome.value.flags.get('b')?.definition.defaultVariant).toBe('on');
    const warning = outcome.warnings.find((text) => text.includes('B') && text.includes('sometimes'));
    expect(warning).toBeDefined();
    expect(outcome.value.warnings).toContain(warning);
  });

  it('applies no override when overrides are off', () => {
    const outcome = loadFlagDocument(json({ a: STATIC }), 'flags.json', { strict: false });
    expect(outcome.ok && outcome.value.flags.get('a')?.definition.defaultVariant).toBe('on');
  });

  it('rejects in strict mode what it only warns about otherwise', () => {
    const mixed = { state: 'ENABLED', variants: { a: true, b: 'text' }, defaultVariant: 'a' };
    const lenient = new FlagLoader(['inline'], { strict: false }).load('inline', { document: { flags: { mixed } } });
    const strict = new FlagLoader(['inline'], { strict: true }).load('inline', { document: { flags: { mixed } } });
    expect(lenient.ok && lenient.warnings.length > 0).toBe(true);
    expect(strict.ok).toBe(false);
  });
});

describe('FlagLoader', () => {
  it('merges origins in their declared order, later winning, whatever order they load in', () => {
    const layers = new FlagLoader(['base.json', 'top.json'], { strict: false });
    layers.load('top.json', { text: json({ a: { ...STATIC, defaultVariant: 'off' } }) });
    layers.load('base.json', { text: json({ a: STATIC, b: STATIC }) });
    const merged = layers.merge();
    expect(merged.flags.get('a')?.definition.defaultVariant).toBe('off');
    expect([...merged.flags.keys()].sort()).toEqual(['a', 'b']);
    expect(merged.warnings.some((warning) => warning.includes('"a"') && warning.includes('top.json'))).toBe(true);
  });

  it('keeps an origin last good set when its new text fails to load', () => {
    const layers = new FlagLoader(['f.json'], { strict: false });
    layers.load('f.json', { text: json({ a: STATIC }) });
    const failed = layers.load('f.json', { text: '{"flags": ' });
    expect(failed.ok).toBe(false);
    expect([...layers.merge().flags.keys()]).toEqual(['a']);
  });

  it('loads an already parsed document as a layer', () => {
    const layers = new FlagLoader(['inline', 'f.json'], { strict: false });
    expect(layers.load('inline', { document: { flags: { x: STATIC } } }).ok).toBe(true);
    expect([...layers.merge().flags.keys()]).toEqual(['x']);
  });

  it("reloads an origin's text keeping the entries of unchanged flags, so the store sees only the changed one", () => {
    const layers = new FlagLoader(['f.json'], { strict: false });
    const store = new FlagStore();
    layers.load('f.json', { text: json({ a: STATIC, b: STATIC }) });
    store.replace(layers.merge());
    const before = layers.merge();
    layers.load('f.json', { text: json({ a: STATIC, b: { ...STATIC, defaultVariant: 'off' } }) });
    const after = layers.merge();
    expect(after.flags.get('a')).toBe(before.flags.get('a'));
    expect(store.replace(after)).toEqual(['b']);
    expect(store.evaluate('b', 'boolean', true, {}, { nowSeconds: () => 0 }).value).toBe(false);
  });

  it('loads a parsed document anew each time, as its owner may have changed it in place', () => {
    const layers = new FlagLoader(['inline'], { strict: false });
    const document = { flags: { x: { ...STATIC } } };
    layers.load('inline', { document: document });
    document.flags.x.defaultVariant = 'off';
    layers.load('inline', { document: document });
    expect(layers.merge().flags.get('x')?.definition.defaultVariant).toBe('off');
  });
});
