import { describe, expect, it, vi } from 'vitest';
import type * as fingerprintModule from '../../../src/flagd/fingerprint-flag.js';
import { fingerprintFlag } from '../../../src/flagd/fingerprint-flag.js';
import { FlagStore } from '../../../src/flagd/flag-store.js';
import type {
  EvaluationEnv,
  FlagDefinition,
  FlagEntry,
  FlagMetadata,
  NormalizedFlagSet,
} from '../../../src/flagd/model.js';

// The real fingerprint, counted: a test below checks which entries are fingerprinted at all.
vi.mock('../../../src/flagd/fingerprint-flag.js', async (importOriginal) => {
  const actual = await importOriginal<typeof fingerprintModule>();
  return { ...actual, fingerprintFlag: vi.fn(actual.fingerprintFlag) };
});

const env: EvaluationEnv = { nowSeconds: () => 1_700_000_000 };

function definition(overrides: Partial<FlagDefinition> = {}): FlagDefinition {
  return { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on', ...overrides };
}

function flagSet(flags: Record<string, FlagDefinition | FlagEntry>, metadata: FlagMetadata = {}): NormalizedFlagSet {
  const entries = Object.entries(flags).map(([key, value]): [string, FlagEntry] => [
    key,
    'definition' in value ? value : { key, definition: value },
  ]);
  return { flags: new Map(entries), metadata, warnings: [] };
}

function sorted(keys: string[]): string[] {
  return [...keys].sort();
}

describe('FlagStore', () => {
  it('starts empty', () => {
    const store = new FlagStore();
    expect([store.size, store.keys(), store.metadata]).toEqual([0, [], {}]);
  });

  it('reports every key of the first set as changed', () => {
    const store = new FlagStore();
    expect(sorted(store.replace(flagSet({ a: definition(), b: definition() })))).toEqual(['a', 'b']);
    expect([store.size, sorted(store.keys())]).toEqual([2, ['a', 'b']]);
  });

  it('reports exactly the keys added, removed and modified', () => {
    const store = new FlagStore();
    store.replace(flagSet({ same: definition(), modified: definition(), removed: definition() }));
    const changed = store.replace(
      flagSet({ same: definition(), modified: definition({ defaultVariant: 'off' }), added: definition() }),
    );
    expect(sorted(changed)).toEqual(['added', 'modified', 'removed']);
    expect(store.get('removed')).toBeUndefined();
  });

  it('reports nothing when the same set is applied again', () => {
    const store = new FlagStore();
    store.replace(flagSet({ a: definition({ targeting: { if: [{ var: 'x' }, 'on', 'off'] } }) }));
    expect(store.replace(flagSet({ a: definition({ targeting: { if: [{ var: 'x' }, 'on', 'off'] } }) }))).toEqual([]);
  });

  it('keeps the compiled object of an unchanged flag and compiles a changed one anew', () => {
    const store = new FlagStore();
    store.replace(flagSet({ kept: definition(), changed: definition() }));
    const kept = store.get('kept');
    const before = store.get('changed');
    store.replace(flagSet({ kept: definition(), changed: definition({ state: 'DISABLED' }) }));
    expect(store.get('kept')).toBe(kept);
    expect(store.get('changed')).not.toBe(before);
    expect(store.get('changed')?.state).toBe('DISABLED');
  });

  it('does not count a change of key order or a fresh copy as a modification', () => {
    const store = new FlagStore();
    store.replace(
      flagSet({
        a: JSON.parse('{"state":"ENABLED","variants":{"on":true,"off":false},"defaultVariant":"on"}') as FlagDefinition,
      }),
    );
    expect(
      store.replace(
        flagSet({
          a: JSON.parse(
            '{"defaultVariant":"on","variants":{"off":false,"on":true},"state":"ENABLED"}',
          ) as FlagDefinition,
        }),
      ),
    ).toEqual([]);
  });

  it('takes the very entry a flag was compiled from, given again, as unchanged without fingerprinting it', () => {
    const store = new FlagStore();
    const kept: FlagEntry = { key: 'kept', definition: definition() };
    store.replace(flagSet({ kept, other: definition() }));
    const compiled = store.get('kept');
    vi.mocked(fingerprintFlag).mockClear();
    const changed = store.replace(flagSet({ kept, other: definition({ defaultVariant: 'off' }) }));
    expect(changed).toEqual(['other']);
    expect(store.get('kept')).toBe(compiled);
    // The old and the new definition of `other`: the first load fingerprinted neither.
    expect(vi.mocked(fingerprintFlag).mock.calls.map(([entry]) => entry.key)).toEqual(['other', 'other']);
  });

  it('fingerprints nothing on a first load, and a flag once when asked', () => {
    const store = new FlagStore();
    const entry: FlagEntry = { key: 'a', definition: definition() };
    vi.mocked(fingerprintFlag).mockClear();
    store.replace(flagSet({ a: entry, b: definition() }));
    expect(vi.mocked(fingerprintFlag)).not.toHaveBeenCalled();

    const fingerprint = store.fingerprint('a');
    expect(fingerprint).toMatch(/^[\w-]{43}$/);
    expect(store.fingerprint('a')).toBe(fingerprint);
    expect(store.fingerprint('missing')).toBeUndefined();
    expect(vi.mocked(fingerprintFlag).mock.calls.map(([fingerprinted]) => fingerprinted.key)).toEqual(['a']);
  });

  it('compiles an entry moved to another key for that key', () => {
    const store = new FlagStore();
    const moved: FlagEntry = { key: 'a', definition: definition() };
    store.replace(flagSet({ a: moved }));
    expect(store.replace(flagSet({ a: definition({ defaultVariant: 'off' }), b: moved }))).toEqual(['a', 'b']);
    expect(store.evaluate('b', 'boolean', false, {}, env).value).toBe(true);
  });

  it('counts a flag whose merged metadata changed as modified', () => {
    const store = new FlagStore();
    store.replace(flagSet({ a: definition({ metadata: { set: 1 } }) }));
    expect(store.replace(flagSet({ a: definition({ metadata: { set: 2 } }) }))).toEqual(['a']);
  });

  it('counts a flag that gained or lost a load error as modified', () => {
    const store = new FlagStore();
    store.replace(flagSet({ a: definition() }));
    expect(
      store.replace(flagSet({ a: { key: 'a', definition: definition(), loadError: 'Evaluator x is not defined' } })),
    ).toEqual(['a']);
    expect(store.get('a')?.parseError).toBe('Evaluator x is not defined');
  });

  it("serves the new set's metadata", () => {
    const store = new FlagStore();
    store.replace(flagSet({}, { flagSetId: 'one' }));
    store.replace(flagSet({}, { flagSetId: 'two' }));
    expect(store.metadata).toEqual({ flagSetId: 'two' });
  });

  it('evaluates a stored flag', () => {
    const store = new FlagStore();
    store.replace(flagSet({ a: definition({ metadata: { owner: 'x' } }) }));
    expect(store.evaluate('a', 'boolean', false, {}, env)).toEqual({
      value: true,
      variant: 'on',
      reason: 'STATIC',
      flagMetadata: { owner: 'x' },
    });
  });

  it("answers FLAG_NOT_FOUND with the flag set's metadata, as flagd-core does", () => {
    const store = new FlagStore();
    store.replace(flagSet({ a: definition() }, { flagSetId: 'set-1' }));
    expect(store.evaluate('missing', 'string', 'uh-oh', {}, env)).toEqual({
      value: 'uh-oh',
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
      errorMessage: 'Flag not found: missing',
      flagMetadata: { flagSetId: 'set-1' },
    });
  });

  it('names the closest flag key in the FLAG_NOT_FOUND message when the key looks like a typo', () => {
    const store = new FlagStore();
    store.replace(flagSet({ orchestration_enabled: definition(), new_router: definition() }));
    expect(store.evaluate('orchestraton_enabled', 'boolean', false, {}, env).errorMessage).toBe(
      'Flag not found: orchestraton_enabled (did you mean "orchestration_enabled"?)',
    );
  });

  it('keeps serving the other flags of a set when one cannot compile', () => {
    const store = new FlagStore();
    store.replace(flagSet({ broken: definition({ targeting: { nope: [] } }), fine: definition() }));
    expect(store.evaluate('broken', 'boolean', false, {}, env).errorCode).toBe('PARSE_ERROR');
    expect(store.evaluate('fine', 'boolean', false, {}, env).value).toBe(true);
  });
});
