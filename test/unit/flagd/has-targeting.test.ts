import { describe, expect, it } from 'vitest';
import { hasTargeting } from '../../../src/flagd/has-targeting.js';

describe('hasTargeting', () => {
  it.each([undefined, null, {}, [], ''])('treats %j as no targeting, as flagd-core does', (targeting) => {
    expect(hasTargeting(targeting)).toBe(false);
  });

  it.each([{ if: [true, 'on', 'off'] }, [1], 'a string rule'])('treats %j as a rule', (targeting) => {
    expect(hasTargeting(targeting)).toBe(true);
  });
});
