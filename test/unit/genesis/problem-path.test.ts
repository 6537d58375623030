import { describe, expect, it } from 'vitest';
import { formatProblemPath, resolveSourcePath } from '../../../src/genesis/problem-path.js';

describe('formatProblemPath', () => {
  it('writes keys with dots and indexes in brackets', () => {
    expect(formatProblemPath(['flags', 'a', 'steps', 2, 'at'])).toBe('flags.a.steps[2].at');
    expect(formatProblemPath(['flags'])).toBe('flags');
  });
});

describe('resolveSourcePath', () => {
  const raw = {
    flags: {
      flat: { enabled: true, end_date: 'x', progressive_config: { end_date: 'y' } },
      legacy: { enabled: true, config: { rollout_percentage: 5, progressive_config: { end_date: 'z' } } },
      saved: { enabled: true, progressive_config: { start_date: 's' } },
    },
  };

  it.each([
    [
      ['flags', 'flat', 'end_date'],
      ['flags', 'flat', 'end_date'],
    ],
    [
      ['flags', 'legacy', 'rollout_percentage'],
      ['flags', 'legacy', 'config', 'rollout_percentage'],
    ],
    [
      ['flags', 'legacy', 'end_date'],
      ['flags', 'legacy', 'config', 'progressive_config', 'end_date'],
    ],
    [
      ['flags', 'saved', 'start_date'],
      ['flags', 'saved', 'progressive_config', 'start_date'],
    ],
    [
      ['flags', 'saved', 'requires', 0],
      ['flags', 'saved'],
    ],
    [['flags', 'ghost', 'enabled'], ['flags']],
  ])('finds %j at %j', (path, expected) => {
    expect(resolveSourcePath(raw, path)).toEqual(expected);
  });
});
