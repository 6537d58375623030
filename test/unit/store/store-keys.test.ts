import { describe, expect, it } from 'vitest';
import { flagSetKeys, parseFlagSetId } from '../../../src/store/store-keys.js';

describe('flagSetKeys', () => {
  it('puts every key of a flag set under one Cluster hash tag', () => {
    expect(flagSetKeys('checkout')).toEqual({
      set: 'genesis-flags:{checkout}:set',
      log: 'genesis-flags:{checkout}:log',
      replicas: 'genesis-flags:{checkout}:replicas',
      replicaExpiry: 'genesis-flags:{checkout}:replicas:expiry',
    });
  });
});

describe('parseFlagSetId', () => {
  it.each(['default', 'team-a.checkout_v2', 'A1'])('accepts %s', (id) => {
    expect(parseFlagSetId(id)).toEqual({ ok: true, value: id });
  });

  it.each(['', 'a}b', 'a b', '-leading', 'x'.repeat(129)])('refuses "%s", naming it', (id) => {
    const parsed = parseFlagSetId(id);
    expect(!parsed.ok && parsed.error).toContain(`Invalid flag set id "${id}"`);
  });
});
