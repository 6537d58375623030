import { spawnSync } from 'node:child_process';
import murmur from 'murmurhash-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, repoRoot, requireBuiltCli, runCli, TempFiles } from './cli-harness.js';

const files = new TempFiles();
let flagsFile = '';
beforeAll(() => {
  requireBuiltCli();
  flagsFile = files.write(
    'flags.json',
    JSON.stringify({
      flags: {
        safe: { enabled: true, rollout_strategy: 'progressive', steps: 'safe', start_date: '2025-11-01' },
        stepped: {
          enabled: true,
          rollout_strategy: 'progressive',
          steps: [
            { at: '2025-11-01T09:00:00Z', percentage: 1 },
            { at: '2025-11-03T09:00:00Z', percentage: 33.33 },
          ],
        },
        flat: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 20 },
      },
    }),
  );
});
afterAll(() => files.removeAll());

const DAY = 86_400_000;

/** How many of the keys are in the first `weight` of 10,000 buckets, by an independent MurmurHash3. */
function countOn(flagKey: string, keys: readonly string[], weight: number): number {
  return keys.filter((key) => Math.floor((murmur.murmur3(flagKey + key, 0) * 10_000) / 2 ** 32) < weight).length;
}

interface PlanJson {
  readonly sample: { size: number; keys: string };
  readonly enabled: boolean;
  readonly rows: { at: string; percent: number; expectedOn: number; sampledOn: number }[];
}

function planJson(args: readonly string[]): PlanJson {
  const run = runCli(['plan', ...args]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as PlanJson;
}

describe('genesis-flags plan', () => {
  it('gives phase_4_deployment per day, with expected and sampled users counted independently (JSON when piped)', () => {
    const plan = planJson(['phase_4_deployment', '--sample', '2000']);
    const keys = Array.from({ length: 2000 }, (_, index) => `user-${index}`);
    expect(plan.enabled).toBe(false);
    expect(plan.sample).toEqual({ size: 2000, keys: 'user-0..user-1999' });
    expect(plan.rows).toHaveLength(8);
    plan.rows.forEach((row, day) => {
      const weight = Math.floor((day * 10_000) / 7); // day d of a 7-day linear ramp
      expect(row.at).toBe(new Date(Date.parse('2025-10-18T00:00:00Z') + day * DAY).toISOString().replace('.000Z', 'Z'));
      expect(row.percent).toBeCloseTo(weight / 100, 10);
      expect(row.expectedOn).toBeCloseTo((2000 * weight) / 10_000, 2);
      expect(row.sampledOn).toBe(countOn('phase_4_deployment', keys, weight));
    });
  });

  it('gives one row per step of a preset, sampling 10,000 keys by default', () => {
    const plan = planJson(['safe', flagsFile, '--json']);
    const keys = Array.from({ length: 10_000 }, (_, index) => `user-${index}`);
    expect(plan.rows.map((row) => row.percent)).toEqual([0, 5, 10, 25, 50, 75, 100]);
    expect(plan.rows.map((row) => row.at)).toEqual(
      ['01', '02', '03', '04', '05', '06', '07'].map((day) => `2025-11-${day}T00:00:00Z`),
    );
    expect(plan.rows.map((row) => row.sampledOn)).toEqual(
      [0, 5, 10, 25, 50, 75, 100].map((percent) => countOn('safe', keys, percent * 100)),
    );
  });

  it('buckets the keys of a --keys file, within a --from/--to window', () => {
    const keys = ['ann', 'bob', 'cyd', 'dee', 'eve', 'fay', 'gus', 'hal'];
    const keysFile = files.write('keys.txt', `${keys.join('\n')}\n\n`);
    const plan = planJson([
      'stepped',
      flagsFile,
      '--keys',
      keysFile,
      '--from',
      '2025-10-31',
      '--to',
      '2025-11-02T00:00:00Z',
    ]);
    expect(plan.sample).toEqual({ size: 8, keys: keysFile });
    expect(plan.rows.map((row) => [row.at, row.percent])).toEqual([
      ['2025-10-31T00:00:00Z', 0],
      ['2025-11-01T09:00:00Z', 1],
      ['2025-11-02T00:00:00Z', 1],
    ]);
    expect(plan.rows.map((row) => row.sampledOn)).toEqual([
      0,
      countOn('stepped', keys, 100),
      countOn('stepped', keys, 100),
    ]);
  });

  it('draws a text chart on a terminal', () => {
    const script = spawnSync(
      'script',
      ['-qec', `"${process.execPath}" "${CLI_PATH}" plan phase_4_deployment --sample 100`, '/dev/null'],
      {
        cwd: repoRoot,
        env: { PATH: process.env['PATH'] ?? '' },
        encoding: 'utf8',
      },
    );
    if (script.error !== undefined) {
      console.warn(`Skipping the terminal check: util-linux "script" is not available (${script.error.message})`);
      return;
    }
    const lines = script.stdout.replaceAll('\r', '').split('\n');
    expect(lines[0]).toContain(
      'phase_4_deployment (config/feature_flags.json): linear ramp from 0% at 2025-10-18T00:00:00Z to 100% at 2025-10-25T00:00:00Z',
    );
    expect(lines).toContain('note: the flag is disabled (enabled: false), so nobody is on until it is enabled');
    expect(lines.find((line) => line.startsWith('AT '))).toMatch(/^AT +EXPOSURE +EXPECTED ON +SAMPLED ON$/);
    expect(lines.find((line) => line.startsWith('2025-10-25T00:00:00Z'))).toMatch(/100% +100 +100 +\|█{40}\|$/);
  });
});

describe('genesis-flags plan errors', () => {
  it.each([
    [['flat'], 1, 'has rollout_strategy "percentage"'],
    [['nope'], 1, 'FLAG_NOT_FOUND'],
    [['safe', '--sample', 'many'], 1, '--sample "many" must be a whole number'],
    [['safe', '--sample', '5', '--keys', 'k.txt'], 1, 'cannot be used with'],
    [['safe', '--keys', 'no-such-keys.txt'], 2, 'File not found: no-such-keys.txt'],
    [['safe', '--from', 'tomorrow'], 1, '--from "tomorrow"'],
    [['safe', '--from', '2025-11-05', '--to', '2025-11-01'], 1, 'is before --from'],
  ] as const)('plan %j exits %i (%s)', (args, code, message) => {
    const [flag, ...options] = args;
    const run = runCli(['plan', flag, flagsFile, ...options]);
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(message);
  });
});
