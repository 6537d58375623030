import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/deploy/plan/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['60s', 60_000],
    ['5m', 300_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['1.5h', 5_400_000],
    ['1h30m', 5_400_000],
    [' 2s ', 2_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  it('refuses a bare number, asking for a unit', () => {
    expect(parseDuration('10')).toEqual({
      ok: false,
      error: 'invalid duration "10" at "10" (add a unit: ms, s, m, h or d)',
    });
  });

  it('refuses an unknown unit, showing the accepted form', () => {
    expect(parseDuration('5x')).toEqual({
      ok: false,
      error:
        'invalid duration "5x" at "5x" (expected a number and a unit, ms, s, m, h or d, such as 30s, 24h or 1h30m)',
    });
  });

  it.each(['', '5 minutes', '1w', '-5s', 'h'])('refuses %j', (text) => {
    expect(parseDuration(text).ok).toBe(false);
  });
});

describe('formatDuration', () => {
  it.each([
    [250, '250ms'],
    [1_500, '1.5s'],
    [60_000, '1m'],
    [90_000, '1m 30s'],
    [86_400_000, '1d'],
    [90_000_000, '1d 1h'],
    [3_599_000, '59m 59s'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
