import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlagEntry, NormalizedFlagSet } from '../../../../src/flagd/model.js';
import { FlagSetNormalizer } from '../../../../src/flagd/parse/flag-set-normalizer.js';
import { normalizeFlagSet } from '../../../../src/flagd/parse/flag-set-normalizer.js';
import type { ResultWithWarnings } from '../../../../src/errors/result.js';

const ORIGIN = 'config/x.json';
const boolFlag = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' };
const refFlag = { ...boolFlag, targeting: { if: [{ $ref: 'is_staff' }, 'on', 'off'] } };

/** A version as a reload sees it: a fresh value, parsed from text. */
function fresh(document: unknown): unknown {
  return JSON.parse(JSON.stringify(document)) as unknown;
}

function accepted(outcome: ResultWithWarnings<NormalizedFlagSet>): NormalizedFlagSet {
  if (!outcome.ok) throw new Error(`expected acceptance, got: ${outcome.error}`);
  return outcome.value;
}

function entry(set: NormalizedFlagSet, key: string): FlagEntry {
  const found = set.flags.get(key);
  if (found === undefined) throw new Error(`no flag ${key}`);
  return found;
}

describe('FlagSetNormalizer', () => {
  it('hands back the very entry of a flag written the same, and a new one for a changed flag', () => {
    const normalizer = new FlagSetNormalizer({ origin: ORIGIN });
    const first = accepted(normalizer.normalize(fresh({ flags: { kept: boolFlag, changed: boolFlag } })));
    const second = accepted(
      normalizer.normalize(fresh({ flags: { kept: boolFlag, changed: { ...boolFlag, defaultVariant: 'on' } } })),
    );
    expect(entry(second, 'kept')).toBe(entry(first, 'kept'));
    expect(entry(second, 'changed')).not.toBe(entry(first, 'changed'));
    expect(entry(second, 'changed').definition.defaultVariant).toBe('on');
  });

  it('keeps warning about an unchanged flag that breaks the schema', () => {
    const normalizer = new FlagSetNormalizer({ origin: ORIGIN });
    const document = { flags: { odd: { ...boolFlag, state: 'WILL-FAIL' } } };
    normalizer.normalize(fresh(document));
    expect(accepted(normalizer.normalize(fresh(document))).warnings).toEqual([
      `${ORIGIN}: flags.odd.state: must be ENABLED or DISABLED`,
    ]);
  });

  it('resolves an unchanged flag anew when the evaluator it references changed', () => {
    const normalizer = new FlagSetNormalizer({ origin: ORIGIN });
    const staff = (domain: string) => ({ ends_with: [{ var: 'email' }, domain] });
    normalizer.normalize(fresh({ flags: { f: refFlag }, $evaluators: { is_staff: staff('@a.example') } }));
    const second = accepted(
      normalizer.normalize(fresh({ flags: { f: refFlag }, $evaluators: { is_staff: staff('@b.example') } })),
    );
    expect(entry(second, 'f').definition.targeting).toEqual({ if: [staff('@b.example'), 'on', 'off'] });
  });

  it('merges a changed flag-set metadata into an unchanged flag', () => {
    const normalizer = new FlagSetNormalizer({ origin: ORIGIN });
    normalizer.normalize(fresh({ flags: { f: boolFlag }, metadata: { team: 'one' } }));
    const second = accepted(normalizer.normalize(fresh({ flags: { f: boolFlag }, metadata: { team: 'two' } })));
    expect(entry(second, 'f').definition.metadata).toEqual({ team: 'two' });
  });

  it('rejects a version again when it is rejected again', () => {
    const normalizer = new FlagSetNormalizer({ origin: ORIGIN });
    const broken = { flags: { f: { ...boolFlag, defaultVariant: 'maybe' } } };
    const error = `${ORIGIN}: flags.f.defaultVariant: "maybe" names no variant (variants: "on", "off")`;
    expect(normalizer.normalize(fresh(broken))).toEqual({ ok: false, error });
    expect(normalizer.normalize(fresh(broken))).toEqual({ ok: false, error });
  });
});

/** Small pools, so that random versions often repeat a flag, evaluators or metadata as the last version had them. */
const flagArbitrary = fc.constantFrom<unknown>(
  boolFlag,
  { ...boolFlag, defaultVariant: 'on' },
  { ...boolFlag, state: 'DISABLED' },
  { ...boolFlag, state: 'WILL-FAIL' },
  { ...boolFlag, defaultVariant: 'maybe' },
  { ...boolFlag, variants: { off: false, on: true } },
  { ...boolFlag, metadata: { team: 'flag', owner: null } },
  { ...boolFlag, targeting: { nope: [] } },
  refFlag,
  { ...boolFlag, targeting: { if: [{ $ref: 'missing' }, 'on', 'off'] } },
  { state: 'ENABLED', variants: ['on', 'off'] },
  'not a flag',
);
const keyArbitrary = fc.constantFrom('a', 'b', 'c', '', '__proto__');
const mapForm = fc.dictionary(keyArbitrary, flagArbitrary, { maxKeys: 4 });
const listForm = fc
  .array(fc.tuple(fc.option(keyArbitrary, { nil: undefined }), flagArbitrary), { maxLength: 4 })
  .map((flags) =>
    flags.map(([key, flag]) =>
      typeof flag === 'object' && flag !== null && key !== undefined ? { key, ...flag } : flag,
    ),
  );
const documentArbitrary = fc.record(
  {
    flags: fc.oneof({ arbitrary: mapForm, weight: 4 }, { arbitrary: listForm, weight: 1 }),
    $evaluators: fc.constantFrom(
      { is_staff: { ends_with: [{ var: 'email' }, '@a.example'] } },
      { is_staff: { '==': [1, 1] } },
      'not rules',
    ),
    metadata: fc.constantFrom({ team: 'one' }, { team: 'two', version: 2 }, { team: ['not', 'a', 'scalar'] }),
  },
  { requiredKeys: ['flags'] },
);

describe('FlagSetNormalizer over successive versions', () => {
  it.each([false, true])('gives every version exactly what normalising it alone gives (strict: %s)', (strict) => {
    fc.assert(
      fc.property(fc.array(documentArbitrary, { minLength: 2, maxLength: 6 }), (versions) => {
        const normalizer = new FlagSetNormalizer({ origin: ORIGIN, strict });
        for (const version of versions) {
          expect(normalizer.normalize(fresh(version))).toEqual(
            normalizeFlagSet(fresh(version), { origin: ORIGIN, strict }),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
