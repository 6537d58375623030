import { describe, expect, it } from 'vitest';
import type { NormalizedFlagSet } from '../../../../src/flagd/model.js';
import { normalizeFlagSet } from '../../../../src/flagd/parse/flag-set-normalizer.js';
import { toFlagdDocument } from '../../../../src/flagd/parse/to-flagd-document.js';
import { validateFlagdDocument } from '../../../../src/flagd/parse/validate-flagd-document.js';

function load(document: unknown): NormalizedFlagSet {
  const outcome = normalizeFlagSet(document, { origin: 'x.json' });
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
}

const source = {
  $evaluators: { internal: { ends_with: [{ var: 'email' }, '@example.com'] } },
  metadata: { flagSetId: 'shop', version: '3' },
  flags: {
    'new-checkout': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { if: [{ $ref: 'internal' }, 'on', null] },
      metadata: { owner: 'payments', version: '4' },
    },
    banner: { state: 'DISABLED', variants: { red: '#f00' }, defaultVariant: null },
  },
};

describe('toFlagdDocument', () => {
  it('writes flags with references resolved, set metadata merged in and kept at the top', () => {
    expect(toFlagdDocument(load(source))).toEqual({
      flags: {
        'new-checkout': {
          state: 'ENABLED',
          variants: { on: true, off: false },
          defaultVariant: 'off',
          targeting: { if: [{ ends_with: [{ var: 'email' }, '@example.com'] }, 'on', null] },
          metadata: { flagSetId: 'shop', version: '4', owner: 'payments' },
        },
        banner: {
          state: 'DISABLED',
          variants: { red: '#f00' },
          defaultVariant: null,
          metadata: { flagSetId: 'shop', version: '3' },
        },
      },
      metadata: { flagSetId: 'shop', version: '3' },
    });
  });

  it('writes a document our flagd schema accepts', () => {
    expect(validateFlagdDocument(toFlagdDocument(load(source)))).toEqual([]);
  });

  it('round-trips: normalising the written document gives the same flags', () => {
    const first = load(source);
    const second = load(JSON.parse(JSON.stringify(toFlagdDocument(first))));
    expect([...second.flags.values()]).toEqual([...first.flags.values()]);
    expect(second.metadata).toEqual(first.metadata);
  });

  it('omits metadata at the top when the set has none', () => {
    expect(toFlagdDocument(load({ flags: { f: { state: 'ENABLED', variants: { a: 1 } } } }))).toEqual({
      flags: { f: { state: 'ENABLED', variants: { a: 1 } } },
    });
  });

  it('keeps an unresolvable reference, so a flagd client fails that flag too', () => {
    const set = load({
      flags: { f: { state: 'ENABLED', variants: { a: 1 }, targeting: { if: [{ $ref: 'missing' }, 'a', null] } } },
    });
    expect(toFlagdDocument(set).flags['f']?.targeting).toEqual({ if: [{ $ref: 'missing' }, 'a', null] });
  });

  it('writes a flag keyed __proto__ as an own key of the JSON', () => {
    const document = JSON.parse(
      '{"flags": {"__proto__": {"state": "ENABLED", "variants": {"a": 1}, "defaultVariant": "a"}}}',
    ) as unknown;
    const written = toFlagdDocument(load(document));
    expect(Object.hasOwn(written.flags, '__proto__')).toBe(true);
    expect(JSON.parse(JSON.stringify(written))).toEqual(document);
  });
});
