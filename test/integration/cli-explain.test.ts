import murmur from 'murmurhash-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAGD_EXAMPLE, requireBuiltCli, runCli, TempFiles } from './cli-harness.js';

const files = new TempFiles();
let flagsFile = '';
beforeAll(() => {
  requireBuiltCli();
  flagsFile = files.write(
    'flags.json',
    JSON.stringify({
      flags: {
        master: { enabled: true },
        kill: { enabled: false },
        ramp: {
          enabled: true,
          rollout_strategy: 'progressive',
          start_date: '2025-10-18T00:00:00Z',
          end_date: '2025-10-25T00:00:00Z',
          requires: ['master', '!kill'],
        },
        canary: {
          enabled: true,
          rollout_strategy: 'canary',
          rollout_percentage: 30,
          canary_users: ['alice'],
          canary_regions: ['eu'],
        },
      },
    }),
  );
});
afterAll(() => files.removeAll());

function bucketOf(flagKey: string, targetingKey: string): number {
  return Math.floor((murmur.murmur3(flagKey + targetingKey, 0) * 10_000) / 2 ** 32);
}

interface ExplainJson {
  readonly lines: string[];
  readonly decidedBy?: string;
  readonly on?: boolean;
  readonly resolution: { value: unknown; variant?: string; reason: string };
}

function explainJson(args: readonly string[], env: Record<string, string> = {}): ExplainJson {
  const run = runCli(['explain', ...args, '--json'], { env });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as ExplainJson;
}

describe('genesis-flags explain', () => {
  it("gives the user's bucket and the threshold at that instant for a ramp, and the answer eval gives", () => {
    const at = '2025-10-20T00:00:00Z'; // two days of seven: floor(2 × 10000 / 7) = 2857
    for (const key of ['user-10', 'user-11', 'user-12']) {
      const explained = explainJson(['ramp', flagsFile, '--targeting-key', key, '--at', at]);
      const bucket = bucketOf('ramp', key);
      expect(explained.decidedBy).toBe('rollout');
      expect(explained.lines).toContain(`bucket ${bucket} of 10000 (MurmurHash3 of "ramp${key}")`);
      expect(
        explained.lines.some((line) =>
          line.startsWith(`threshold 2857 of 10000: ${bucket} ${bucket < 2857 ? '<' : '>='} 2857`),
        ),
      ).toBe(true);
      expect(explained.on).toBe(bucket < 2857);
      const evaluated = JSON.parse(
        runCli(['eval', 'ramp', flagsFile, '--targeting-key', key, '--at', at, '--json']).stdout,
      ) as { value: unknown };
      expect(evaluated.value).toBe(explained.on);
      expect(explained.resolution.value).toBe(explained.on);
    }
  });

  it('says the parent decided when an environment override turns it off', () => {
    const explained = explainJson(['ramp', flagsFile, '--targeting-key', 'user-1', '--at', '2025-10-26'], {
      MASTER: 'false',
    });
    expect(explained).toMatchObject({ decidedBy: 'parent', on: false, resolution: { value: false } });
    expect(explained.lines).toContain('  environment: MASTER=false overrides the file: off');
    expect(explained.lines).toContain('requirement "master" not met → off');
  });

  it('says a canary list decided, by targeting key or by region', () => {
    expect(explainJson(['canary', flagsFile, '--targeting-key', 'alice'])).toMatchObject({
      decidedBy: 'canary',
      on: true,
    });
    const byRegion = explainJson(['canary', flagsFile, '--context', '{"targetingKey":"zed","region":"eu"}']);
    expect(byRegion).toMatchObject({ decidedBy: 'canary', on: true, resolution: { value: true } });
    expect(byRegion.lines).toContain('region "eu" is in canary_regions → on');
  });

  it('falls to the default variant when there is no targeting key to bucket', () => {
    const explained = explainJson(['canary', flagsFile, '--context', '{"region":"us"}']);
    expect(explained).toMatchObject({ decidedBy: 'default', on: false, resolution: { value: false } });
  });

  it("prints plain lines ending with the deciding layer and the evaluator's answer", () => {
    const run = runCli(['explain', 'phase_4_deployment', '--targeting-key', 'user-1', '--at', '2025-10-21T00:00:00Z']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'phase_4_deployment (genesis, config/feature_flags.json) at 2025-10-21T00:00:00Z, targeting key "user-1"',
    );
    expect(lines).toContain('environment: PHASE_4_DEPLOYMENT is not set');
    expect(lines).toContain('enabled: false → off for everyone');
    expect(lines.at(-2)).toBe('decided by: enabled: false');
    expect(lines.at(-1)).toBe('answer: value false, variant off, reason STATIC');
  });

  it("explains a flagd flag from its definition and the evaluator's answer", () => {
    const run = runCli(['explain', 'internal-tools', FLAGD_EXAMPLE, '--context', '{"email":"ann@example.com"}']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('environment: INTERNAL_TOOLS is not set');
    expect(run.stdout).toContain('targeting chose variant "on"');
    expect(run.stdout).toContain('answer: value true, variant on, reason TARGETING_MATCH');
  });

  it('suggests the closest flag key for a typo', () => {
    expect(runCli(['explain', 'rmap', flagsFile])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('(did you mean "ramp"?)'),
    });
  });

  it('exits 1 for an unknown flag or a bad option, 2 for a missing file', () => {
    expect(runCli(['explain', 'nope', flagsFile])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('FLAG_NOT_FOUND'),
    });
    expect(runCli(['explain', 'ramp', flagsFile, '--at', '21/10/2025'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--at'),
    });
    expect(runCli(['explain', 'ramp', 'missing.json'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('File not found: missing.json'),
    });
  });
});
