import { describe, expect, it } from 'vitest';
import { checkGenesisDocument } from '../../../src/genesis/check-genesis-document.js';
import type { GenesisFlag } from '../../../src/genesis/genesis-document.js';

function check(flags: Record<string, GenesisFlag>) {
  return checkGenesisDocument({ flags });
}

describe('requires', () => {
  it('reports an unknown parent at its entry', () => {
    expect(check({ a: { enabled: true, requires: ['b', '!ghost'] }, b: { enabled: true } })).toEqual([
      { path: ['flags', 'a', 'requires', 1], message: 'names unknown flag "ghost"' },
    ]);
  });

  it('names a cycle as its chain', () => {
    expect(check({ a: { enabled: true, requires: ['b'] }, b: { enabled: true, requires: ['!a'] } })).toEqual([
      { path: ['flags', 'b', 'requires', 0], message: 'forms a cycle: a → b → a' },
    ]);
  });

  it('names a longer cycle reached from outside it once', () => {
    const problems = check({
      entry: { enabled: true, requires: ['x'] },
      x: { enabled: true, requires: ['y'] },
      y: { enabled: true, requires: ['z'] },
      z: { enabled: true, requires: ['x'] },
    });
    expect(problems).toEqual([{ path: ['flags', 'z', 'requires', 0], message: 'forms a cycle: x → y → z → x' }]);
  });

  it('accepts a diamond, which is no cycle', () => {
    expect(
      check({
        top: { enabled: true },
        left: { enabled: true, requires: ['top'] },
        right: { enabled: true, requires: ['top'] },
        bottom: { enabled: true, requires: ['left', 'right'] },
      }),
    ).toEqual([]);
  });
});

describe('percentages', () => {
  it.each([
    [-0.5, 'must be between 0 and 100'],
    [100.01, 'must be between 0 and 100'],
    [Number.NaN, 'must be between 0 and 100'],
    [12.345, 'must be a multiple of 0.01'],
  ])('rejects %s', (value, message) => {
    expect(check({ a: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: value } })).toEqual([
      { path: ['flags', 'a', 'rollout_percentage'], message },
    ]);
  });

  it.each([0, 0.01, 33.33, 99.99, 100, 0.07, 0.29])('accepts %s', (value) => {
    expect(check({ a: { enabled: true, rollout_strategy: 'percentage', rollout_percentage: value } })).toEqual([]);
  });

  it('requires rollout_percentage for the percentage strategy', () => {
    expect(check({ a: { enabled: false, rollout_strategy: 'percentage' } })).toEqual([
      { path: ['flags', 'a', 'rollout_percentage'], message: 'is required for rollout_strategy "percentage"' },
    ]);
  });
});

describe('canary', () => {
  it.each([{}, { canary_users: [] }, { canary_users: [], canary_regions: [] }])(
    'needs a non-empty list (%j)',
    (lists) => {
      expect(check({ a: { enabled: true, rollout_strategy: 'canary', ...lists } })).toEqual([
        {
          path: ['flags', 'a', 'canary_users'],
          message: 'a canary rollout needs canary_users or canary_regions (non-empty)',
        },
      ]);
    },
  );
});

describe('progressive', () => {
  const progressive = { enabled: true, rollout_strategy: 'progressive' } as const;

  it('needs dates or steps, even while disabled', () => {
    expect(check({ a: { ...progressive, enabled: false } })).toEqual([
      { path: ['flags', 'a', 'start_date'], message: 'is required for a progressive rollout (or give steps)' },
      { path: ['flags', 'a', 'end_date'], message: 'is required for a progressive rollout (or give steps)' },
    ]);
  });

  it.each([
    ['2025-10-25T00:00:00Z', '2025-10-18T00:00:00Z'],
    ['2025-10-18T00:00:00Z', '2025-10-18T00:00:00Z'],
    ['2025-10-18T02:00:00+02:00', '2025-10-18T00:00:00Z'],
  ])('reports dates in the wrong order (%s → %s)', (start_date, end_date) => {
    expect(check({ a: { ...progressive, start_date, end_date } })).toEqual([
      { path: ['flags', 'a', 'end_date'], message: 'must be after start_date' },
    ]);
  });

  it('reports an unreadable date', () => {
    expect(check({ a: { ...progressive, start_date: '2025-02-30', end_date: '2025-03-01T00:00:00' } })).toEqual([
      {
        path: ['flags', 'a', 'start_date'],
        message: 'must be an ISO 8601 date (2025-10-18) or date-time with a zone (2025-10-18T09:00:00Z)',
      },
      {
        path: ['flags', 'a', 'end_date'],
        message: 'must be an ISO 8601 date (2025-10-18) or date-time with a zone (2025-10-18T09:00:00Z)',
      },
    ]);
  });

  it('reports a ramp whose end percentage is below its start', () => {
    expect(
      check({
        a: {
          ...progressive,
          start_date: '2025-01-01',
          end_date: '2025-01-02',
          initial_percentage: 50,
          end_percentage: 40,
        },
      }),
    ).toEqual([
      {
        path: ['flags', 'a', 'end_percentage'],
        message: 'must not be below initial_percentage: exposure never goes down',
      },
    ]);
  });

  it('needs start_date for a preset and refuses end_date with it', () => {
    expect(check({ a: { ...progressive, steps: 'safe', end_date: '2025-01-02' } })).toEqual([
      { path: ['flags', 'a', 'start_date'], message: 'is required: the "safe" steps count days from it' },
      { path: ['flags', 'a', 'end_date'], message: 'cannot be combined with steps: the last step ends the ramp' },
    ]);
  });

  it('reports steps that do not increase', () => {
    const steps = [
      { at: '2025-01-02', percentage: 10 },
      { at: '2025-01-01', percentage: 20 },
      { at: '2025-01-03', percentage: 15 },
    ];
    expect(check({ a: { ...progressive, steps } })).toEqual([
      { path: ['flags', 'a', 'steps', 1, 'at'], message: 'must be later than steps[0].at' },
      {
        path: ['flags', 'a', 'steps', 2, 'percentage'],
        message: 'must not be below steps[1].percentage: exposure never goes down',
      },
    ]);
  });

  it('refuses dates beside explicit steps and an empty step list', () => {
    expect(check({ a: { ...progressive, steps: [], start_date: '2025-01-01' } })).toEqual([
      {
        path: ['flags', 'a', 'start_date'],
        message: 'cannot be combined with explicit steps: each step has its own date',
      },
      { path: ['flags', 'a', 'steps'], message: 'must list at least one step' },
    ]);
  });
});
