import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FlagSetDocument } from '../../src/flagd/model.js';
import { applyGenesisEnvOverrides } from '../../src/genesis/apply-genesis-env-overrides.js';
import type { GenesisDocument, GenesisFlag } from '../../src/genesis/genesis-document.js';
import { isGenesisDocument } from '../../src/genesis/is-genesis-document.js';
import { readGenesisDocument } from '../../src/genesis/read-genesis-document.js';
import { translateGenesisDocument } from '../../src/genesis/translate-genesis-document.js';
import { assertFlagdSchemaValid, bucketOf, flagdCoreOracle, seconds } from '../unit/genesis/flagd-core-oracle.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CONFIG = path.join(repoRoot, 'config/feature_flags.json');
const NOW = seconds('2026-01-15T12:00:00Z');
const KEYS = Array.from({ length: 10_000 }, (_, index) => `user-${index}`);

/** The production flags as the table lists them: key, on?, description, group, parent. */
const TABLE: readonly (readonly [string, boolean, string, string | undefined, string | undefined])[] = [
  ['orchestration_enabled', true, 'Master switch for orchestration system', 'orchestration_v2', undefined],
  [
    'security_hardening_enabled',
    true,
    'Security hardening features (prompt protection, auth, DoS)',
    'master',
    undefined,
  ],
  ['llm_integration_enabled', true, 'LLM-based orchestration decisions', 'orchestration_v2', 'orchestration_enabled'],
  [
    'aatc_system_enabled',
    false,
    'Dynamic tool/agent creation (high security risk - gradual rollout)',
    'orchestration_v2',
    'orchestration_enabled',
  ],
  ['reward_learning_enabled', true, 'Adaptive reward model learning', undefined, undefined],
  ['error_handling_enabled', true, 'Circuit breaker, retry, graceful degradation', 'master', undefined],
  ['otel_enabled', true, 'OpenTelemetry tracing and metrics', 'master', undefined],
  [
    'performance_optimizations_enabled',
    true,
    'Caching, indexing, batching, pooling',
    'orchestration_v2',
    'orchestration_enabled',
  ],
  ['phase_1_complete', true, 'Phase 1: HTDAG + HALO + AOP complete', undefined, undefined],
  ['phase_2_complete', true, 'Phase 2: Security, LLM, AATC, Reward Model complete', undefined, undefined],
  ['phase_3_complete', true, 'Phase 3: Error Handling, OTEL, Performance complete', undefined, undefined],
  ['phase_4_deployment', false, 'Phase 4: Production deployment (0% -> 100% over 7 days)', undefined, undefined],
  ['emergency_shutdown', false, 'Emergency shutdown flag (kills all operations)', 'emergency', undefined],
  ['read_only_mode', false, 'Read-only mode (no writes/modifications)', 'emergency', undefined],
  ['maintenance_mode', false, 'Maintenance mode (reject new requests)', 'emergency', undefined],
];

function readProductionFlags(): GenesisDocument {
  const raw: unknown = JSON.parse(readFileSync(CONFIG, 'utf8'));
  expect(isGenesisDocument(raw)).toBe(true);
  const outcome = readGenesisDocument(raw, CONFIG);
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
}

function translated(doc: GenesisDocument): FlagSetDocument {
  const outcome = translateGenesisDocument(doc);
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.value;
}

function withFlag(doc: GenesisDocument, key: string, change: Partial<GenesisFlag>): GenesisDocument {
  return { ...doc, flags: { ...doc.flags, [key]: { ...(doc.flags[key] as GenesisFlag), ...change } } };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('config/feature_flags.json', () => {
  it('holds exactly the 15 production flags', () => {
    expect(Object.keys(readProductionFlags().flags).sort()).toEqual(TABLE.map(([key]) => key).sort());
  });

  it.each(TABLE)(
    'answers %s as on=%s with its description, group and parent',
    (key, on, description, category, parent) => {
      const flagd = translated(readProductionFlags());
      const result = flagdCoreOracle(flagd).evaluate(key, { targetingKey: 'user-1' }, NOW, !on);
      expect(result).toMatchObject({ value: on, variant: on ? 'on' : 'off', reason: 'STATIC' });
      expect(result.flagMetadata).toMatchObject({ description, genesisKey: key });
      expect(result.flagMetadata?.['category']).toBe(category);
      expect(result.flagMetadata?.['requires']).toBe(parent);
    },
  );

  it("translates into a document that passes flagd's schema in strict mode", () => {
    expect(() => assertFlagdSchemaValid(translated(readProductionFlags()))).not.toThrow();
  });
});

describe('the master switch', () => {
  const children = ['llm_integration_enabled', 'performance_optimizations_enabled'];

  it('turns every flag requiring it off when ORCHESTRATION_ENABLED=false, and nothing else', () => {
    const env: Record<string, string> = { ORCHESTRATION_ENABLED: 'false', LLM_INTEGRATION_ENABLED: 'true' };
    const lookup = (key: string) => {
      const name = key.toUpperCase();
      const value = env[name];
      return value === undefined ? undefined : { name, value };
    };
    const oracle = flagdCoreOracle(translated(applyGenesisEnvOverrides(readProductionFlags(), lookup, () => {})));
    expect(oracle.evaluate('orchestration_enabled', {}, NOW, true)).toMatchObject({ value: false, reason: 'STATIC' });
    expect(oracle.evaluate('orchestration_enabled', {}, NOW).flagMetadata).toMatchObject({ source: 'env' });
    for (const child of children)
      expect(oracle.evaluate(child, { targetingKey: 'user-1' }, NOW, true).value).toBe(false);
    expect(oracle.evaluate('security_hardening_enabled', {}, NOW).value).toBe(true);
    expect(oracle.evaluate('otel_enabled', {}, NOW).value).toBe(true);
  });

  it('keeps aatc_system_enabled off while its master is off, even once aatc is enabled', () => {
    const doc = withFlag(
      withFlag(readProductionFlags(), 'aatc_system_enabled', { enabled: true }),
      'orchestration_enabled',
      { enabled: false },
    );
    const oracle = flagdCoreOracle(translated(doc));
    expect(
      KEYS.slice(0, 500).some((targetingKey) => oracle.evaluate('aatc_system_enabled', { targetingKey }, NOW).value),
    ).toBe(false);
  });
});

describe('phase_4_deployment', () => {
  const start = seconds('2025-10-18T00:00:00Z');
  const week = 7 * 86_400;

  it('is off at every instant while it is disabled', () => {
    const oracle = flagdCoreOracle(translated(readProductionFlags()));
    for (const at of [start - 1, start + week / 2, start + week, NOW]) {
      expect(oracle.evaluate('phase_4_deployment', { targetingKey: 'user-1' }, at, true).value).toBe(false);
    }
  });

  it('ramps linearly from 2025-10-18 to 2025-10-25 once enabled', () => {
    const oracle = flagdCoreOracle(
      translated(withFlag(readProductionFlags(), 'phase_4_deployment', { enabled: true })),
    );
    const share = (at: number) =>
      KEYS.filter((targetingKey) => oracle.evaluate('phase_4_deployment', { targetingKey }, at).value).length /
      KEYS.length;
    expect(share(start - 1)).toBe(0);
    expect(Math.abs(share(start + week / 2) - 0.5)).toBeLessThanOrEqual(0.01);
    expect(share(start + week)).toBe(1);
    for (const targetingKey of KEYS.slice(0, 300)) {
      // a day in: floor(86400 × 10000 / 604800) = 1428 of 10,000 slots
      expect(oracle.evaluate('phase_4_deployment', { targetingKey }, start + 86_400).value).toBe(
        bucketOf('phase_4_deployment', targetingKey) < 1428,
      );
    }
  });
});
