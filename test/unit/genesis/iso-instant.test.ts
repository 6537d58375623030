import { describe, expect, it } from 'vitest';
import { parseIsoInstant } from '../../../src/genesis/iso-instant.js';

describe('parseIsoInstant', () => {
  it.each([
    ['2025-10-18', 1_760_745_600],
    ['2025-10-18T00:00:00Z', 1_760_745_600],
    ['2025-10-18T00:00Z', 1_760_745_600],
    ['2025-10-18T02:00:00+02:00', 1_760_745_600],
    ['2025-10-17T19:00:00-0500', 1_760_745_600],
    ['2025-10-18T00:00:00.000000+00:00', 1_760_745_600],
    ['2025-10-18T00:00:00.25Z', 1_760_745_601],
    ['2024-02-29T23:59:59Z', 1_709_251_199],
  ])('reads %s as %i (whole seconds, rounded up)', (text, expected) => {
    expect(parseIsoInstant(text)).toBe(expected);
  });

  it.each([
    '2025-10-18T00:00:00',
    '2025-02-29',
    '2025-13-01',
    '2025-10-18T24:00:00Z',
    '2025-10-18T10:60Z',
    '18/10/2025',
    '',
    '2025-10-18T00:00:00+25:00',
  ])('refuses %j', (text) => {
    expect(parseIsoInstant(text)).toBeUndefined();
  });
});
