import murmur from 'murmurhash-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAGD_EXAMPLE, PRODUCTION_FLAGS, requireBuiltCli, runCli, TempFiles } from './cli-harness.js';

const files = new TempFiles();
beforeAll(requireBuiltCli);
afterAll(() => files.removeAll());

/** A user's bucket out of 10,000, with an independent MurmurHash3 (ASCII keys). */
function bucketOf(flagKey: string, targetingKey: string): number {
  return Math.floor((murmur.murmur3(flagKey + targetingKey, 0) * 10_000) / 2 ** 32);
}

const RAMP = JSON.stringify({
  flags: {
    ramp: {
      enabled: true,
      rollout_strategy: 'progressive',
      start_date: '2025-10-18T00:00:00Z',
      end_date: '2025-10-25T00:00:00Z',
    },
    canary: {
      enabled: true,
      rollout_strategy: 'canary',
      rollout_percentage: 0,
      canary_users: ['alice'],
      canary_regions: ['eu'],
    },
    half: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 50 },
  },
});

function evalJson(args: readonly string[], env: Record<string, string> = {}): Record<string, unknown> {
  const run = runCli(['eval', ...args, '--json'], { env });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe('genesis-flags eval', () => {
  it('answers a production flag from config/feature_flags.json by default, with value, variant, reason and metadata', () => {
    const result = evalJson(['llm_integration_enabled', '--targeting-key', 'user-1']);
    expect(result).toMatchObject({ flagKey: 'llm_integration_enabled', value: true, variant: 'on', reason: 'STATIC' });
    expect(result['flagMetadata']).toMatchObject({
      strategy: 'all_at_once',
      requires: 'orchestration_enabled',
      description: 'LLM-based orchestration decisions',
    });
  });

  it('prints aligned lines without --json', () => {
    const run = runCli(['eval', 'emergency_shutdown', PRODUCTION_FLAGS]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^flag +emergency_shutdown$/m);
    expect(run.stdout).toMatch(/^value +false$/m);
    expect(run.stdout).toMatch(/^variant +off$/m);
    expect(run.stdout).toMatch(/^reason +STATIC$/m);
    expect(run.stdout).toMatch(/^ {2}category +emergency$/m);
  });

  it('answers a disabled Genesis flag false with reason STATIC, at any instant', () => {
    for (const at of ['2025-10-17', '2025-10-21T12:00:00Z', '2026-01-01']) {
      expect(evalJson(['phase_4_deployment', '--targeting-key', 'user-1', '--at', at])).toMatchObject({
        value: false,
        variant: 'off',
        reason: 'STATIC',
      });
    }
  });

  it('lets ORCHESTRATION_ENABLED=false turn the master switch and every flag requiring it off', () => {
    const env = { ORCHESTRATION_ENABLED: 'false' };
    const master = evalJson(['orchestration_enabled'], env);
    expect(master).toMatchObject({ value: false, reason: 'STATIC' });
    expect(master['flagMetadata']).toMatchObject({ source: 'env' });
    expect(evalJson(['llm_integration_enabled', '--targeting-key', 'user-1'], env)).toMatchObject({ value: false });
    expect(evalJson(['otel_enabled'], env)).toMatchObject({ value: true });
  });

  it('ramps a progressive flag with time: user on exactly when the bucket is below the threshold of that instant', () => {
    const file = files.write('ramp.json', RAMP);
    // Three days of seven: floor(3 × 10000 / 7) = 4285 of 10,000 slots.
    for (const targetingKey of ['user-1', 'user-2', 'user-3', 'user-4']) {
      const result = evalJson(['ramp', file, '--targeting-key', targetingKey, '--at', '2025-10-21T00:00:00Z']);
      expect(result['value']).toBe(bucketOf('ramp', targetingKey) < 4285);
    }
    expect(evalJson(['ramp', file, '--targeting-key', 'user-1', '--at', '2025-10-17T23:59:59Z'])['value']).toBe(false);
    expect(evalJson(['ramp', file, '--targeting-key', 'user-1', '--at', '2025-10-25'])['value']).toBe(true);
  });

  it('reads the context from --context, and --targeting-key wins over the one inside it', () => {
    const file = files.write('canary.json', RAMP);
    expect(evalJson(['canary', file, '--context', '{"region":"eu"}'])['value']).toBe(true);
    expect(evalJson(['canary', file, '--context', '{"targetingKey":"alice","region":"us"}'])['value']).toBe(true);
    expect(
      evalJson(['canary', file, '--context', '{"targetingKey":"alice"}', '--targeting-key', 'mallory'])['value'],
    ).toBe(false);
  });

  it('evaluates flagd files too, later files winning per key', () => {
    const override = files.write('override.json', JSON.stringify({ flags: { half: { enabled: false } } }));
    const base = files.write('base.json', RAMP);
    const layered = runCli(['eval', 'half', base, override, '--targeting-key', 'user-1', '--json']);
    expect(layered.code).toBe(0);
    expect(JSON.parse(layered.stdout)).toMatchObject({ value: false, reason: 'STATIC' });
    expect(layered.stderr).toContain(
      `warning: flag "half" is defined in ${base} and ${override}; the one in ${override} wins`,
    );
    const internal = evalJson(['internal-tools', FLAGD_EXAMPLE, '--context', '{"email":"ann@example.com"}']);
    expect(internal).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH' });
    expect(evalJson(['request-timeout-ms', FLAGD_EXAMPLE, '--context', '{"appVersion":"2.5.0"}'])).toMatchObject({
      value: 2000,
      variant: 'long',
    });
  });
});

describe('genesis-flags eval errors', () => {
  it('exits 1 with FLAG_NOT_FOUND on stderr for an unknown flag', () => {
    const run = runCli(['eval', 'no_such_flag']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('FLAG_NOT_FOUND');
    expect(run.stderr).toContain('no_such_flag');
  });

  it('suggests the closest flag key for a typo', () => {
    const run = runCli(['eval', 'orchestraton_enabled']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: FLAG_NOT_FOUND: flag "orchestraton_enabled" is in none of config/feature_flags.json (did you mean "orchestration_enabled"?)\n',
    );
  });

  it.each([
    [['--context', '{"region":'], '--context is not valid JSON'],
    [['--context', '["a"]'], '--context must be a JSON object'],
    [['--context', '{"targetingKey":42}'], 'targetingKey must be a string'],
    [['--at', 'yesterday'], '--at "yesterday" is not an ISO 8601 instant'],
    [['--at', '2025-10-21T09:00:00'], 'is not an ISO 8601 instant'],
  ])('exits 1 with a clear message for %j', (args, message) => {
    const run = runCli(['eval', 'otel_enabled', ...args]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
  });

  it('exits 2 when a file is missing or malformed', () => {
    const missing = runCli(['eval', 'otel_enabled', 'no/such/file.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('File not found: no/such/file.json');
    const broken = files.write('broken.json', '{ "flags": { "a": ');
    const malformed = runCli(['eval', 'a', broken]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain(`${broken}:1:19: `);
  });

  it('exits 1 on an invalid Genesis file, listing its problems', () => {
    const invalid = files.write(
      'invalid.json',
      JSON.stringify({ flags: { a: { enabled: true, requires: ['ghost'] } } }),
    );
    const run = runCli(['eval', 'a', invalid]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('flags.a.requires[0]  names unknown flag "ghost"');
  });
});
