import { FlagdCore, MemoryStorage } from '@openfeature/flagd-core';
import type { Logger } from '@openfeature/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { validateFlagdDocument } from '../../src/flagd/parse/validate-flagd-document.js';
import { requireBuiltCli, runCli, seconds, TempFiles } from './cli-harness.js';

const files = new TempFiles();
beforeAll(requireBuiltCli);
afterAll(() => files.removeAll());

/** The production flags as the issue lists them: key, on?, description. */
const PRODUCTION: readonly (readonly [string, boolean, string])[] = [
  ['orchestration_enabled', true, 'Master switch for orchestration system'],
  ['security_hardening_enabled', true, 'Security hardening features (prompt protection, auth, DoS)'],
  ['llm_integration_enabled', true, 'LLM-based orchestration decisions'],
  ['aatc_system_enabled', false, 'Dynamic tool/agent creation (high security risk - gradual rollout)'],
  ['reward_learning_enabled', true, 'Adaptive reward model learning'],
  ['error_handling_enabled', true, 'Circuit breaker, retry, graceful degradation'],
  ['otel_enabled', true, 'OpenTelemetry tracing and metrics'],
  ['performance_optimizations_enabled', true, 'Caching, indexing, batching, pooling'],
  ['phase_1_complete', true, 'Phase 1: HTDAG + HALO + AOP complete'],
  ['phase_2_complete', true, 'Phase 2: Security, LLM, AATC, Reward Model complete'],
  ['phase_3_complete', true, 'Phase 3: Error Handling, OTEL, Performance complete'],
  ['phase_4_deployment', false, 'Phase 4: Production deployment (0% -> 100% over 7 days)'],
  ['emergency_shutdown', false, 'Emergency shutdown flag (kills all operations)'],
  ['read_only_mode', false, 'Read-only mode (no writes/modifications)'],
  ['maintenance_mode', false, 'Maintenance mode (reject new requests)'],
];

const MIXED = JSON.stringify({
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
      rollout_percentage: 30,
      canary_users: ['alice'],
      canary_regions: ['eu'],
    },
    tenth: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 10.5 },
    off: { enabled: false },
    child_of_ramp: { enabled: true, requires: ['ramp'] },
    child_of_off: { enabled: true, requires: ['off'] },
    unless_off: { enabled: true, requires: ['!off'] },
  },
});

interface ListRow {
  key: string;
  enabled: boolean;
  strategy: string;
  exposurePercent: number | null;
  canaries: boolean;
  boundedByParents: boolean;
  overriddenByEnvironment: boolean;
  description: string;
}

function listJson(args: readonly string[], env: Record<string, string> = {}): Map<string, ListRow> {
  const run = runCli(['list', ...args, '--json'], { env });
  expect(run.code).toBe(0);
  return new Map((JSON.parse(run.stdout) as ListRow[]).map((row) => [row.key, row]));
}

describe('genesis-flags list', () => {
  it('prints the production flags as a table: key, on/off, strategy, exposure, description', () => {
    const run = runCli(['list', '--at', '2026-01-15T12:00:00Z']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^KEY +STATE +STRATEGY +EXPOSURE +DESCRIPTION$/);
    PRODUCTION.forEach(([key, on, description], index) => {
      const cells = (lines[index + 1] ?? '').split(/ {2,}/);
      expect(cells).toEqual([key, on ? 'on' : 'off', expect.any(String), on ? '100%' : '0%', description]);
    });
  });

  it("gives each flag's share of users at the instant, with canaries and parents qualified", () => {
    const rows = listJson([files.write('mixed.json', MIXED), '--at', '2025-10-21T00:00:00Z']);
    // three days of seven: floor(3 × 10000 / 7) = 4285 slots, 42.85 %
    expect(rows.get('ramp')).toMatchObject({
      strategy: 'progressive',
      exposurePercent: 42.85,
      boundedByParents: false,
    });
    expect(rows.get('canary')).toMatchObject({ exposurePercent: 30, canaries: true });
    expect(rows.get('tenth')).toMatchObject({ exposurePercent: 10.5 });
    expect(rows.get('off')).toMatchObject({ enabled: false, exposurePercent: 0 });
    expect(rows.get('child_of_ramp')).toMatchObject({ exposurePercent: 100, boundedByParents: true });
    expect(rows.get('child_of_off')).toMatchObject({ exposurePercent: 0 });
    expect(rows.get('unless_off')).toMatchObject({ exposurePercent: 100, boundedByParents: false });
  });

  it('shows an environment override and its effect on the children', () => {
    const rows = listJson([], { ORCHESTRATION_ENABLED: 'false' });
    expect(rows.get('orchestration_enabled')).toMatchObject({
      enabled: false,
      overriddenByEnvironment: true,
      exposurePercent: 0,
    });
    expect(rows.get('llm_integration_enabled')).toMatchObject({ enabled: true, exposurePercent: 0 });
    expect(rows.get('otel_enabled')).toMatchObject({ exposurePercent: 100 });
  });

  it('exits 1 on a bad --at and 2 on a missing file', () => {
    expect(runCli(['list', '--at', 'soon'])).toMatchObject({ code: 1, stderr: expect.stringContaining('--at "soon"') });
    expect(runCli(['list', 'absent.json'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('File not found: absent.json'),
    });
  });
});

const silent: Logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

describe('genesis-flags export', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function exported(args: readonly string[], env: Record<string, string> = {}): Record<string, unknown> {
    const run = runCli(['export', ...args], { env });
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  }

  it("prints the production flags as a flagd document valid against flagd's schema, ours and flagd-core's strict check", () => {
    const document = exported([]);
    expect(Object.keys(document['flags'] as object)).toEqual(PRODUCTION.map(([key]) => key));
    expect(validateFlagdDocument(document)).toEqual([]);
    expect(() => new MemoryStorage(silent).setConfigurations(JSON.stringify(document), true)).not.toThrow();
    const core = new FlagdCore(undefined, silent);
    core.setConfigurations(JSON.stringify(document));
    for (const [key, on] of PRODUCTION) {
      expect(core.resolveBooleanEvaluation(key, !on, { targetingKey: 'user-1' }, silent)).toMatchObject({
        value: on,
        variant: on ? 'on' : 'off',
      });
    }
  });

  it('gives a document that flagd-core evaluates exactly as our eval, across users and instants', () => {
    const file = files.write('mixed.json', MIXED);
    const document = exported(['--format', 'flagd', file]);
    expect(validateFlagdDocument(document)).toEqual([]);
    const core = new FlagdCore(undefined, silent);
    core.setConfigurations(JSON.stringify(document));
    const cases = [
      ['ramp', 'user-5', '2025-10-19T06:00:00Z'],
      ['ramp', 'user-6', '2025-10-23T18:00:00Z'],
      ['canary', 'user-7', '2025-10-20T00:00:00Z'],
      ['tenth', 'user-8', '2025-10-20T00:00:00Z'],
      ['child_of_ramp', 'user-9', '2025-10-22T00:00:00Z'],
    ] as const;
    for (const [flagKey, targetingKey, at] of cases) {
      const ours = JSON.parse(
        runCli(['eval', flagKey, file, '--targeting-key', targetingKey, '--at', at, '--json']).stdout,
      ) as Record<string, unknown>;
      vi.setSystemTime(seconds(at) * 1000);
      const theirs = core.resolveBooleanEvaluation(flagKey, false, { targetingKey }, silent);
      expect({ value: ours['value'], variant: ours['variant'] }).toEqual({
        value: theirs.value,
        variant: theirs.variant,
      });
    }
  });

  it('leaves environment overrides out: the document is for another environment', () => {
    const flags = exported([], { ORCHESTRATION_ENABLED: 'false' })['flags'] as Record<
      string,
      { defaultVariant: string }
    >;
    expect(flags['orchestration_enabled']?.defaultVariant).toBe('on');
  });

  it('rejects another --format (exit 1) and a missing file (exit 2)', () => {
    expect(runCli(['export', '--format', 'yaml'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Allowed choices are flagd'),
    });
    expect(runCli(['export', 'gone.json'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('File not found: gone.json'),
    });
  });
});
