import { describe, expect, it } from 'vitest';
import type { NormalizedFlagSet } from '../../../../src/flagd/model.js';
import { normalizeFlagSet } from '../../../../src/flagd/parse/flag-set-normalizer.js';
import { parseDocumentText } from '../../../../src/document/parse-document-text.js';
import { createRefResolver } from '../../../../src/flagd/parse/resolve-evaluator-refs.js';
import { prepareTargeting } from '../../../../src/flagd/targeting/prepare-targeting.js';

const ORIGIN = 'config/refs.json';
const isBallmer = { '==': ['ballmer@macrosoft.com', { var: ['email'] }] };

function load(document: unknown): NormalizedFlagSet {
  const outcome = normalizeFlagSet(document, { origin: ORIGIN });
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
}

function flagWith(targeting: unknown): Record<string, unknown> {
  return { state: 'ENABLED', variants: { hi: 'hi', bye: 'bye' }, defaultVariant: 'bye', targeting };
}

describe('$ref resolution through normalizeFlagSet', () => {
  it('replaces a reference by the named evaluator', () => {
    const set = load({
      flags: { f: flagWith({ if: [{ $ref: 'is_ballmer' }, 'hi', 'bye'] }) },
      $evaluators: { is_ballmer: isBallmer },
    });
    expect(set.flags.get('f')?.definition.targeting).toEqual({ if: [isBallmer, 'hi', 'bye'] });
    expect(set.flags.get('f')?.loadError).toBeUndefined();
  });

  it('copies only the path to a reference, leaving the document and subtrees without one as they are', () => {
    const plain = { in: [{ var: 'country' }, ['de', 'fr']] };
    const withRef = { or: [plain, { $ref: 'is_ballmer' }] };
    const document = {
      flags: { f: flagWith(withRef), g: flagWith(plain) },
      $evaluators: { is_ballmer: isBallmer },
    };
    const before = JSON.stringify(document);
    const set = load(document);
    const expanded = set.flags.get('f')?.definition.targeting as { or: unknown[] };
    expect(expanded).toEqual({ or: [plain, isBallmer] });
    expect(expanded.or[0]).toBe(plain);
    expect(set.flags.get('g')?.definition.targeting).toBe(plain);
    expect(JSON.stringify(document)).toBe(before);
  });

  it('keeps a "__proto__" key beside a reference as a plain key', () => {
    const targeting = JSON.parse('{"__proto__": [{"$ref": "is_ballmer"}]}') as unknown;
    const set = load({ flags: { f: flagWith(targeting) }, $evaluators: { is_ballmer: isBallmer } });
    const expanded = set.flags.get('f')?.definition.targeting as Record<string, unknown>;
    expect(Object.getPrototypeOf(expanded)).toBe(Object.prototype);
    expect(Object.keys(expanded)).toEqual(['__proto__']);
    expect(expanded['__proto__']).toEqual([isBallmer]);
  });

  it('resolves however the JSON text spaces the reference', () => {
    const text = `{"flags": {"f": {"state": "ENABLED", "variants": {"hi": "hi"}, "targeting": {"if": [{ "$ref" :\n "is_ballmer" }, "hi", null]}}},
      "$evaluators": {"is_ballmer": ${JSON.stringify(isBallmer)}}}`;
    const parsed = parseDocumentText(text, ORIGIN);
    const set = load(parsed.ok ? parsed.value : undefined);
    expect(set.flags.get('f')?.definition.targeting).toEqual({ if: [isBallmer, 'hi', null] });
  });

  it('resolves a reference that is the whole targeting', () => {
    const set = load({ flags: { f: flagWith({ $ref: 'rule' }) }, $evaluators: { rule: { if: [true, 'hi', 'bye'] } } });
    expect(set.flags.get('f')?.definition.targeting).toEqual({ if: [true, 'hi', 'bye'] });
  });

  it('resolves references inside evaluators, at any depth', () => {
    const set = load({
      flags: { f: flagWith({ if: [{ $ref: 'outer' }, 'hi', 'bye'] }) },
      $evaluators: {
        outer: { and: [{ $ref: 'inner' }, true] },
        inner: { or: [{ $ref: 'is_ballmer' }, false] },
        is_ballmer: isBallmer,
      },
    });
    expect(set.flags.get('f')?.definition.targeting).toEqual({
      if: [{ and: [{ or: [isBallmer, false] }, true] }, 'hi', 'bye'],
    });
  });

  it('leaves text that merely looks like a reference alone: strings are data, not JSON to search', () => {
    const lookalike = '{"$ref":"is_ballmer"}';
    const set = load({
      flags: {
        f: {
          state: 'ENABLED',
          variants: { [lookalike]: lookalike, bye: 'bye' },
          targeting: { if: [{ '==': [{ var: 'x' }, lookalike] }, lookalike, 'bye'] },
        },
      },
      $evaluators: { is_ballmer: isBallmer },
    });
    const definition = set.flags.get('f')?.definition;
    expect(definition?.targeting).toEqual({ if: [{ '==': [{ var: 'x' }, lookalike] }, lookalike, 'bye'] });
    expect(definition?.variants).toEqual({ [lookalike]: lookalike, bye: 'bye' });
  });

  it('treats an object with more than $ref, or a non-string $ref, as no reference', () => {
    const notReferences = [{ $ref: 'is_ballmer', extra: 1 }, { $ref: 5 }];
    const set = load({ flags: { f: flagWith({ if: notReferences }) }, $evaluators: { is_ballmer: isBallmer } });
    expect(set.flags.get('f')?.definition.targeting).toEqual({ if: notReferences });
  });

  it('fails only the flag whose reference names no evaluator, keeping its unresolved targeting', () => {
    const targeting = { if: [{ $ref: 'nonexistent_evaluator' }, 'hi', 'bye'] };
    const set = load({
      flags: { broken: flagWith(targeting), fine: flagWith({ if: [{ $ref: 'is_ballmer' }, 'hi', 'bye'] }) },
      $evaluators: { is_ballmer: isBallmer },
    });
    const expected = `${ORIGIN}: flags.broken.targeting: $ref "nonexistent_evaluator" names no entry of $evaluators`;
    expect(set.flags.get('broken')?.loadError).toBe(expected);
    expect(set.flags.get('broken')?.definition.targeting).toEqual(targeting);
    expect(set.flags.get('fine')?.loadError).toBeUndefined();
    expect(set.warnings).toContain(expected);
  });

  it('fails a flag reaching a reference cycle, naming the cycle', () => {
    const set = load({
      flags: { f: flagWith({ $ref: 'a' }) },
      $evaluators: { a: { and: [{ $ref: 'b' }] }, b: { or: [{ $ref: 'a' }] } },
    });
    expect(set.flags.get('f')?.loadError).toBe(`${ORIGIN}: flags.f.targeting: $ref cycle: a -> b -> a`);
  });

  it('fails a flag reaching an evaluator that references itself', () => {
    const set = load({
      flags: { f: flagWith({ if: [{ $ref: 'self' }, 'hi', 'bye'] }) },
      $evaluators: { self: { '!': [{ $ref: 'self' }] } },
    });
    expect(set.flags.get('f')?.loadError).toBe(`${ORIGIN}: flags.f.targeting: $ref cycle: self -> self`);
  });

  it('does not resolve "__proto__" or "toString" through the prototype of $evaluators', () => {
    const set = load({
      flags: { a: flagWith({ $ref: '__proto__' }), b: flagWith({ $ref: 'toString' }) },
      $evaluators: {},
    });
    expect(set.flags.get('a')?.loadError).toContain('$ref "__proto__" names no entry of $evaluators');
    expect(set.flags.get('b')?.loadError).toContain('$ref "toString" names no entry of $evaluators');
  });

  it('resolves an evaluator literally named __proto__', () => {
    const evaluators = JSON.parse(`{"__proto__": ${JSON.stringify(isBallmer)}}`) as unknown;
    const set = load({ flags: { f: flagWith({ if: [{ $ref: '__proto__' }, 'hi', 'bye'] }) }, $evaluators: evaluators });
    expect(set.flags.get('f')?.definition.targeting).toEqual({ if: [isBallmer, 'hi', 'bye'] });
  });
});

describe('createRefResolver limits', () => {
  it('fails a tree nested deeper than 128 levels instead of overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 100_000; level += 1) deep = { '!': [deep] };
    const resolution = createRefResolver(new Map())(deep);
    expect(resolution).toEqual({ ok: false, error: 'targeting nests deeper than 128 levels' });
  });

  it('counts depth across references', () => {
    let chain: unknown = true;
    for (let level = 0; level < 128; level += 1) chain = [chain];
    const resolution = createRefResolver(new Map([['deep', chain]]))({ if: [{ $ref: 'deep' }] });
    expect(resolution).toEqual({ ok: false, error: 'targeting nests deeper than 128 levels' });
  });

  it('accepts a reference that expands to exactly 128 levels: `if`, its list, then 126 arrays', () => {
    let chain: unknown = true;
    for (let level = 0; level < 126; level += 1) chain = [chain];
    expect(createRefResolver(new Map([['deep', chain]]))({ if: [{ $ref: 'deep' }] }).ok).toBe(true);
  });

  it('fails references that expand exponentially, without expanding them', () => {
    const evaluators = new Map<string, unknown>([['r0', { var: 'x' }]]);
    for (let level = 1; level <= 40; level += 1)
      evaluators.set(`r${level}`, { and: [{ $ref: `r${level - 1}` }, { $ref: `r${level - 1}` }] });
    const resolution = createRefResolver(evaluators)({ $ref: 'r40' });
    expect(resolution).toEqual({ ok: false, error: 'targeting expands to more than 100000 nodes' });
  });

  it('counts arrays and objects, not scalars: a list of 100,000 IDs is one array', () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `id-${i}`);
    expect(createRefResolver(new Map())({ in: [{ var: 'id' }, ids] }).ok).toBe(true);
  });

  it('accepts every tree the compiler accepts: arrays and objects nested exactly 128 levels, scalars inside', () => {
    let tree: unknown = ['leaf'];
    for (let level = 1; level < 128; level += 1) tree = [tree];
    const resolution = createRefResolver(new Map())(tree);
    expect(resolution.ok).toBe(true);
    expect(typeof prepareTargeting(tree, 'f')).toBe('object');
    expect(createRefResolver(new Map())([tree])).toEqual({
      ok: false,
      error: 'targeting nests deeper than 128 levels',
    });
    expect(prepareTargeting([tree], 'f')).toBe("Targeting of flag 'f' nests deeper than 128 levels");
  });
});
