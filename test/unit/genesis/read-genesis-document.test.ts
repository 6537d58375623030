import { describe, expect, it } from 'vitest';
import type { GenesisProblem } from '../../../src/genesis/genesis-document.js';
import { findGenesisProblems } from '../../../src/genesis/find-genesis-problems.js';
import { readGenesisDocument } from '../../../src/genesis/read-genesis-document.js';

/** The problems that make `readGenesisDocument` refuse a document, after checking that it does refuse it. */
function problemsOf(raw: unknown): readonly GenesisProblem[] {
  const problems = findGenesisProblems(raw);
  expect(readGenesisDocument(raw).ok).toBe(problems.length === 0);
  return problems;
}

describe('the flat Genesis form', () => {
  it('reads a valid document unchanged', () => {
    const raw = {
      $schema: '../schemas/genesis-flags.schema.json',
      format: 'genesis',
      version: '1.0.0',
      metadata: { flagSetId: 'genesis' },
      flags: {
        a: { enabled: true, description: 'A', category: 'master', metadata: { owner: 'x' } },
        b: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 0.01, requires: ['a', '!c'] },
        c: { enabled: false, rollout_strategy: 'canary', canary_regions: ['eu'] },
        d: { enabled: true, rollout_strategy: 'progressive', steps: [{ at: '2025-01-01', percentage: 10 }] },
      },
    };
    expect(readGenesisDocument(raw)).toEqual({ ok: true, value: raw, warnings: [] });
  });

  it('accepts a single parent written as a string', () => {
    const outcome = readGenesisDocument({ flags: { a: { enabled: true }, b: { enabled: true, requires: 'a' } } });
    expect(outcome.ok && outcome.value.flags['b']?.requires).toEqual(['a']);
  });
});

describe('schema problems', () => {
  it.each([
    [{ flags: { a: { description: 'no switch' } } }, ['flags', 'a', 'enabled'], 'is required'],
    [{ flags: { a: { enabled: 'yes' } } }, ['flags', 'a', 'enabled'], 'must be boolean'],
    [
      { flags: { a: { enabled: true, rollout_stratgy: 'canary' } } },
      ['flags', 'a', 'rollout_stratgy'],
      'is not a known field (did you mean "rollout_strategy"?)',
    ],
    [
      { flags: { a: { enabled: true, rollout_strategy: 'gradual' } } },
      ['flags', 'a', 'rollout_strategy'],
      'must be one of: all_at_once, percentage, progressive, canary',
    ],
    [
      { flags: { a: { enabled: true, rollout_percentage: 101 } } },
      ['flags', 'a', 'rollout_percentage'],
      'must be <= 100',
    ],
    [{ flags: { a: { enabled: true, steps: 'slow' } } }, ['flags', 'a', 'steps'], 'must be safe or fast'],
    [
      { flags: { a: { enabled: true, requires: ['!!b'] } } },
      ['flags', 'a', 'requires', 0],
      'must name a flag key, optionally prefixed by one "!"',
    ],
    [
      { flags: { a: { enabled: true, category: 'misc' } } },
      ['flags', 'a', 'category'],
      'must be one of: master, orchestration_v2, emergency',
    ],
    [
      { flags: { a: { enabled: true, metadata: { nested: {} } } } },
      ['flags', 'a', 'metadata', 'nested'],
      'must be one of: string, number, boolean',
    ],
    [
      { flags: { '7': { enabled: true, steps: [{ at: 'soon', percentage: 5 }] } } },
      ['flags', '7', 'steps', 0, 'at'],
      'must be an ISO 8601 date (2025-10-18) or date-time with a zone (2025-10-18T09:00:00Z)',
    ],
    [{ flags: {}, format: 'flagd' }, ['format'], 'must be genesis'],
    [{ flag: {} }, ['flags'], 'is required'],
  ])('reports %j at its path', (raw, path, message) => {
    expect(problemsOf(raw)).toContainEqual({ path, message });
  });

  it('reports every problem, not only the first', () => {
    expect(problemsOf({ flags: { a: { enabled: 1 }, b: { enabled: true, rollout_percentage: -1 } } })).toHaveLength(2);
  });

  it('names the origin and each problem in the summary', () => {
    const outcome = readGenesisDocument({ flags: { a: {} } }, 'config/x.json');
    expect(outcome.ok ? '' : outcome.error).toBe('Invalid config/x.json:\n  flags.a.enabled  is required');
  });
});

describe('semantic problems', () => {
  it('runs the semantic checks once the schema passes', () => {
    expect(problemsOf({ flags: { a: { enabled: true, requires: ['a'] } } })).toEqual([
      { path: ['flags', 'a', 'requires', 0], message: 'forms a cycle: a → a' },
    ]);
  });

  it('reports schema and rule problems of one document in the same pass', () => {
    const raw = {
      flags: {
        a: { enabled: 'yes', requires: ['b'] },
        b: { enabled: true, requires: ['a'] },
        c: { enabled: true, requires: ['orchestraton_enabled'] },
        d: { enabled: true, rollout_strategy: 'progressive', start_date: '2025-10-25', end_date: '2025-10-18' },
        e: { enabled: true, rollout_strategy: 'canary', rollout_percentage: 5, rolout_percentage: 5 },
        orchestration_enabled: { enabled: true },
      },
    };
    expect(problemsOf(raw)).toEqual([
      { path: ['flags', 'a', 'enabled'], message: 'must be boolean' },
      {
        path: ['flags', 'e', 'rolout_percentage'],
        message: 'is not a known field (did you mean "rollout_percentage"?)',
      },
      { path: ['flags', 'd', 'end_date'], message: 'must be after start_date' },
      {
        path: ['flags', 'e', 'canary_users'],
        message: 'a canary rollout needs canary_users or canary_regions (non-empty)',
      },
      {
        path: ['flags', 'c', 'requires', 0],
        message: 'names unknown flag "orchestraton_enabled" (did you mean "orchestration_enabled"?)',
      },
      { path: ['flags', 'b', 'requires', 0], message: 'forms a cycle: a → b → a' },
    ]);
  });

  it('reports a value the schema rejects once, not again as missing for its strategy', () => {
    expect(
      problemsOf({ flags: { p: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 150 } } }),
    ).toEqual([{ path: ['flags', 'p', 'rollout_percentage'], message: 'must be <= 100' }]);
  });
});

describe('files of the old Python system', () => {
  const saved = {
    version: '1.0.0',
    last_updated: '2025-10-18T10:00:00.123456+00:00',
    flags: {
      phase_4_deployment: {
        name: 'phase_4_deployment',
        enabled: false,
        default_value: false,
        rollout_strategy: 'progressive',
        rollout_percentage: 0.0,
        progressive_config: {
          initial_percentage: 0,
          end_percentage: 100,
          start_date: '2025-10-18T00:00:00Z',
          end_date: '2025-10-25T00:00:00Z',
          current_percentage: 25.0,
        },
        description: 'Phase 4: Production deployment',
      },
      canary_feature: {
        name: 'canary_feature',
        enabled: true,
        default_value: false,
        rollout_strategy: 'canary',
        rollout_percentage: 0.0,
        progressive_config: { canary_users: ['user1', 'user2'], canary_regions: ['us-west-1'] },
        description: 'Canary',
      },
    },
  };

  it('loads a file saved by FeatureFlagManager.save_to_file, lifting progressive_config', () => {
    const outcome = readGenesisDocument(saved);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value.version).toBe('1.0.0');
    expect(outcome.value.flags['phase_4_deployment']).toEqual({
      enabled: false,
      description: 'Phase 4: Production deployment',
      rollout_strategy: 'progressive',
      rollout_percentage: 0,
      start_date: '2025-10-18T00:00:00Z',
      end_date: '2025-10-25T00:00:00Z',
      initial_percentage: 0,
      end_percentage: 100,
    });
    expect(outcome.value.flags['canary_feature']).toMatchObject({
      canary_users: ['user1', 'user2'],
      canary_regions: ['us-west-1'],
    });
  });

  it('loads flags whose fields sit under "config", the flat fields winning', () => {
    const outcome = readGenesisDocument({
      flags: {
        a: {
          enabled: true,
          config: { name: 'a', enabled: false, rollout_strategy: 'percentage', rollout_percentage: 30 },
        },
        b: {
          config: {
            enabled: true,
            description: 'B',
            progressive_config: { canary_users: ['u'] },
            rollout_strategy: 'canary',
          },
        },
      },
    });
    expect(outcome.ok && outcome.value.flags).toEqual({
      a: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 30 },
      b: { enabled: true, description: 'B', rollout_strategy: 'canary', canary_users: ['u'] },
    });
  });

  it('requires enabled under config when the flag itself has none', () => {
    expect(problemsOf({ flags: { a: { config: { description: 'x' } } } })).toContainEqual({
      path: ['flags', 'a', 'config', 'enabled'],
      message: 'is required',
    });
  });
});
