import { describe, expect, it } from 'vitest';
import {
  applyEnvOverrides,
  describeAppliedOverrides,
  findReservedOverrideCollisions,
  flagEnvVariableName,
} from '../../../src/loading/env-overrides.js';
import { loadFlagDocument } from '../../../src/loading/load-flag-document.js';
import { flagTypeOfVariants } from '../../../src/flagd/flag-type-of.js';
import { parseEnvValue } from '../../../src/loading/env-value.js';

describe('flagEnvVariableName', () => {
  it.each([
    ['orchestration_enabled', '', 'ORCHESTRATION_ENABLED'],
    ['checkout.new-flow', '', 'CHECKOUT_NEW_FLOW'],
    ['myFlag2', '', 'MYFLAG2'],
    ['café', '', 'CAF_'],
    ['a b/c:d', '', 'A_B_C_D'],
    ['orchestration_enabled', 'APP_', 'APP_ORCHESTRATION_ENABLED'],
  ])('maps %j with prefix %j to %s', (key, prefix, expected) => {
    expect(flagEnvVariableName(key, prefix)).toBe(expected);
  });
});

describe('parseEnvValue', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['on', true],
    ['Yes', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['OFF', false],
    ['no', false],
    [' no ', false],
  ])('reads boolean %j as %j', (text, value) => {
    expect(parseEnvValue(text, 'boolean')).toEqual({ ok: true, value });
  });

  it.each([['maybe'], [''], ['2'], ['nope']])('rejects %j as a boolean', (text) => {
    expect(parseEnvValue(text, 'boolean').ok).toBe(false);
  });

  it.each([
    ['42', 42],
    ['-1.5', -1.5],
    ['1e3', 1000],
    [' 7 ', 7],
    ['0x10', 16],
  ])('reads number %j as %j', (text, value) => {
    expect(parseEnvValue(text, 'number')).toEqual({ ok: true, value });
  });

  it.each([[''], ['abc'], ['Infinity'], ['NaN']])('rejects %j as a number', (text) => {
    expect(parseEnvValue(text, 'number').ok).toBe(false);
  });

  it.each([
    ['{"a":1}', { a: 1 }],
    ['[1,2]', [1, 2]],
  ])('reads object %j as JSON', (text, value) => {
    expect(parseEnvValue(text, 'object')).toEqual({ ok: true, value });
  });

  it.each([['null'], ['3'], ['"s"'], ['{bad']])('rejects %j as an object', (text) => {
    expect(parseEnvValue(text, 'object').ok).toBe(false);
  });

  it('takes a string as it is, spaces included', () => {
    expect(parseEnvValue(' blue ', 'string')).toEqual({ ok: true, value: ' blue ' });
  });
});

const document = {
  $evaluators: { beta: { in: ['@x.com', { var: 'email' }] } },
  metadata: { version: '3' },
  flags: {
    orchestration_enabled: {
      state: 'DISABLED',
      variants: { on: true, off: false },
      defaultVariant: 'on',
      targeting: { if: [{ $ref: 'beta' }, 'off', null] },
      metadata: { owner: 'ops' },
    },
    'banner-color': { state: 'ENABLED', variants: { red: '#f00', green: '#0f0' }, defaultVariant: 'red' },
    retries: { state: 'ENABLED', variants: { few: 1, many: 9 }, defaultVariant: 'few' },
    limits: { state: 'ENABLED', variants: { base: { max: 1 } }, defaultVariant: 'base' },
  },
};

describe('applyEnvOverrides', () => {
  it('turns a typed value into a static, enabled flag with a single env variant and source env', () => {
    const result = applyEnvOverrides(document, { environment: { ORCHESTRATION_ENABLED: 'false' }, prefix: '' });
    expect(result.warnings).toEqual([]);
    expect((result.document as typeof document).flags.orchestration_enabled).toEqual({
      state: 'ENABLED',
      variants: { env: false },
      defaultVariant: 'env',
      metadata: { owner: 'ops', source: 'env', envVariable: 'ORCHESTRATION_ENABLED' },
    });
  });

  it('selects a named variant, keeping the variants and dropping the targeting', () => {
    const result = applyEnvOverrides(document, { environment: { BANNER_COLOR: 'green' }, prefix: '' });
    expect((result.document as typeof document).flags['banner-color']).toEqual({
      state: 'ENABLED',
      variants: { red: '#f00', green: '#0f0' },
      defaultVariant: 'green',
      metadata: { source: 'env', envVariable: 'BANNER_COLOR' },
    });
  });

  it('prefers a variant name over a typed reading of the same text', () => {
    const doc = { flags: { f: { state: 'ENABLED', variants: { on: false, off: true }, defaultVariant: 'off' } } };
    const result = applyEnvOverrides(doc, { environment: { F: 'on' }, prefix: '' });
    expect((result.document as typeof doc).flags.f.defaultVariant).toBe('on');
  });

  it.each([
    ['RETRIES', '5', { env: 5 }],
    ['LIMITS', '{"max":3}', { env: { max: 3 } }],
    ['BANNER_COLOR', '#00f', { env: '#00f' }],
  ])('parses %s=%s by the flag type', (variable, text, variants) => {
    const result = applyEnvOverrides(document, { environment: { [variable]: text }, prefix: '' });
    const flags = (result.document as { flags: Record<string, { variants: unknown }> }).flags;
    const key = Object.keys(document.flags).find((k) => flagEnvVariableName(k) === variable) ?? '';
    expect(flags[key]?.variants).toEqual(variants);
  });

  it('ignores an unparseable value with a warning naming the variable and the flag', () => {
    const result = applyEnvOverrides(document, { environment: { RETRIES: 'lots' }, prefix: '' });
    expect(result.document).toBe(document);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain('RETRIES');
    expect(result.warnings[0]).toContain('retries');
    expect(result.warnings[0]).toContain('a number');
  });

  it('reads only prefixed variables when a prefix is set', () => {
    const environment = { RETRIES: '5', APP_LIMITS: '{"max":2}' };
    const result = applyEnvOverrides(document, { environment, prefix: 'APP_' });
    const flags = (result.document as typeof document).flags;
    expect(flags.retries).toBe(document.flags.retries);
    expect(flags.limits.variants).toEqual({ env: { max: 2 } });
  });

  it('leaves the document and the other flags untouched', () => {
    const before = JSON.stringify(document);
    const result = applyEnvOverrides(document, { environment: { RETRIES: '5' }, prefix: '' });
    expect(JSON.stringify(document)).toBe(before);
    const flags = (result.document as typeof document).flags;
    expect(flags.limits).toBe(document.flags.limits);
    expect((result.document as typeof document).$evaluators).toBe(document.$evaluators);
  });

  it('cuts an unparseable value short in the warning: a PATH of 4,000 characters is not echoed', () => {
    const path = `/usr/local/bin:${'/opt/tool/bin:'.repeat(284)}/usr/sbin`;
    expect(path.length).toBe(4_000);
    const result = applyEnvOverrides(document, { environment: { APP_RETRIES: path }, prefix: 'APP_' });
    expect(result.warnings).toEqual([
      'Ignoring APP_RETRIES="/usr/local/bin:/opt/tool/bin:/opt/tool/b"… (4000 characters): expected a number or a variant name of flag retries (few, many)',
    ]);
  });

  it.each([
    ['path', 'PATH', '/usr/bin:/bin'],
    ['home', 'HOME', '/root'],
    ['ci', 'CI', 'true'],
  ])('never lets %s be overridden by %s, a variable every process has, without a prefix', (key, variable, value) => {
    const doc = { flags: { [key]: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' } } };
    const result = applyEnvOverrides(doc, { environment: { [variable]: value }, prefix: '' });
    expect(result.document).toBe(doc);
    expect(result.warnings).toEqual([
      `Ignoring environment variable ${variable}: flag ${key} is never overridden by ${variable}, a variable nearly every process has; set envPrefix (GENESIS_FLAGS_ENV_PREFIX) to override it, e.g. APP_ reads APP_${variable}`,
    ]);
    const prefixed = applyEnvOverrides(doc, { environment: { [`APP_${variable}`]: 'on' }, prefix: 'APP_' });
    expect((prefixed.document as typeof doc).flags[key]).toMatchObject({ defaultVariant: 'on' });
  });

  it('warns when one variable names several flags', () => {
    const doc = {
      flags: { 'a.b': { state: 'ENABLED', variants: { x: 1 } }, a_b: { state: 'ENABLED', variants: { x: 1 } } },
    };
    const result = applyEnvOverrides(doc, { environment: { A_B: '2' }, prefix: '' });
    expect(result.warnings).toEqual(['Environment variable A_B overrides several flags: a.b, a_b']);
  });

  it.each([[null], ['text'], [{ flags: [] }], [{ flags: { f: 'not a flag' } }]])(
    'leaves %j for the parser to judge',
    (input) => {
      expect(applyEnvOverrides(input, { environment: { F: 'x' }, prefix: '' })).toEqual({
        document: input,
        warnings: [],
      });
    },
  );
});

describe('applyEnvOverrides on other document shapes', () => {
  it('overrides flags in the list form, matched by their key', () => {
    const doc = {
      flags: [
        { key: 'retries', state: 'ENABLED', variants: { few: 1 }, defaultVariant: 'few' },
        { key: 'other', state: 'ENABLED', variants: { x: 1 } },
      ],
    };
    const result = applyEnvOverrides(doc, { environment: { RETRIES: '4' }, prefix: '' });
    const flags = (result.document as { flags: Record<string, unknown>[] }).flags;
    expect(flags[0]).toEqual({
      key: 'retries',
      state: 'ENABLED',
      variants: { env: 4 },
      defaultVariant: 'env',
      metadata: { source: 'env', envVariable: 'RETRIES' },
    });
    expect(flags[1]).toBe(doc.flags[1]);
  });

  it('overrides only the named key when two keys share one definition object (a YAML alias)', () => {
    const shared = { state: 'ENABLED', variants: { few: 1 }, defaultVariant: 'few' };
    const result = applyEnvOverrides({ flags: { a: shared, b: shared } }, { environment: { A: '9' }, prefix: '' });
    const flags = (result.document as { flags: Record<string, { variants: unknown }> }).flags;
    expect(flags['a']?.variants).toEqual({ env: 9 });
    expect(flags['b']).toBe(shared);
  });

  it('keeps a __proto__ flag key as a plain key', () => {
    const doc = JSON.parse(
      '{"flags":{"__proto__":{"state":"ENABLED","variants":{"x":1},"defaultVariant":"x"},"n":{"state":"ENABLED","variants":{"x":1},"defaultVariant":"x"}}}',
    );
    const result = applyEnvOverrides(doc, { environment: { N: '2' }, prefix: '' });
    const flags = (result.document as { flags: object }).flags;
    expect(Object.keys(flags)).toEqual(['__proto__', 'n']);
    expect(Object.getPrototypeOf(flags)).toBe(Object.prototype);
  });
});

describe('flagTypeOfVariants', () => {
  it.each([
    [{ on: true, off: false }, 'on', 'boolean'],
    [{ a: 'x', b: 1 }, 'b', 'number'],
    [{ a: 'x', b: 1 }, undefined, 'string'],
    [{ a: { k: 1 } }, 'a', 'object'],
    [{ a: [1] }, 'missing', 'object'],
    [{}, undefined, undefined],
  ])('gives the type of %j with default %j as %s', (variants, defaultVariant, type) => {
    expect(flagTypeOfVariants(variants, defaultVariant)).toBe(type);
  });
});

describe('the overrides of a Genesis document', () => {
  const genesis = JSON.stringify({ flags: { ci: { enabled: true }, maintenance_mode: { enabled: false } } });

  it('does not let CI=true switch a Genesis flag named ci, and says why', () => {
    const environment = { CI: 'false', PATH: '/usr/bin' };
    const outcome = loadFlagDocument(genesis, 'flags.json', {
      strict: false,
      envOverrides: { environment, prefix: '' },
    });
    if (!outcome.ok) throw new Error(outcome.error);
    expect(outcome.value.flags.get('ci')?.definition.defaultVariant).toBe('on');
    expect(outcome.warnings).toEqual([
      'Ignoring environment variable CI: flag ci is never overridden by CI, a variable nearly every process has; set envPrefix (GENESIS_FLAGS_ENV_PREFIX) to override it, e.g. APP_ reads APP_CI',
    ]);
  });

  it('describes each applied override with its variable and value, for the provider to log once', () => {
    const environment = { MAINTENANCE_MODE: 'true', APP_CI: 'false' };
    for (const [prefix, expected] of [
      ['', ['Flag maintenance_mode is overridden by MAINTENANCE_MODE="true"']],
      ['APP_', ['Flag ci is overridden by APP_CI="false"']],
    ] as const) {
      const outcome = loadFlagDocument(genesis, 'flags.json', { strict: false, envOverrides: { environment, prefix } });
      if (!outcome.ok) throw new Error(outcome.error);
      expect(describeAppliedOverrides(outcome.value, environment)).toEqual(expected);
    }
  });

  it('finds the flag keys whose variable is reserved, for validate to warn about, only without a prefix', () => {
    expect(findReservedOverrideCollisions(['path', 'maintenance_mode', 'home', 'node.env'], '')).toEqual([
      {
        flagKey: 'path',
        message:
          'flag path is never overridden by PATH, a variable nearly every process has; set envPrefix (GENESIS_FLAGS_ENV_PREFIX) to override it, e.g. APP_ reads APP_PATH',
      },
      expect.objectContaining({ flagKey: 'home' }),
      expect.objectContaining({ flagKey: 'node.env' }),
    ]);
    expect(findReservedOverrideCollisions(['path', 'home'], 'APP_')).toEqual([]);
  });
});
