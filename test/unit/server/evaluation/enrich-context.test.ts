import { describe, expect, it } from 'vitest';
import { enrichContext, readNodeHeader } from '../../../../src/server/evaluation/enrich-context.js';

const noHeaders = (): undefined => undefined;

describe('enrichContext', () => {
  it('returns the request context itself when nothing is configured', () => {
    const context = { targetingKey: 'u1' };
    expect(enrichContext(context, { staticValues: {}, fromHeaders: {} }, noHeaders)).toBe(context);
  });

  it('adds static values, which win over the request’s', () => {
    const enriched = enrichContext(
      { targetingKey: 'u1', env: 'dev' },
      { staticValues: { env: 'prod', injectedmetadata: 'set' }, fromHeaders: {} },
      noHeaders,
    );
    expect({ ...enriched }).toEqual({ targetingKey: 'u1', env: 'prod', injectedmetadata: 'set' });
  });

  it('adds mapped headers, which win over static values and the request', () => {
    const headers: Record<string, string> = { 'x-user-tier': 'gold', 'x-region': 'eu' };
    const enriched = enrichContext(
      { tier: 'free', region: 'us' },
      { staticValues: { region: 'ap' }, fromHeaders: { 'x-user-tier': 'tier', 'x-region': 'region' } },
      (name) => headers[name],
    );
    expect({ ...enriched }).toEqual({ tier: 'gold', region: 'eu' });
  });

  it('ignores a mapped header that is absent or empty', () => {
    const enriched = enrichContext(
      { tier: 'free' },
      { staticValues: {}, fromHeaders: { 'x-tier': 'tier', 'x-zone': 'zone' } },
      (name) => (name === 'x-tier' ? '' : undefined),
    );
    expect({ ...enriched }).toEqual({ tier: 'free' });
  });

  it('leaves its inputs unchanged', () => {
    const request = { a: 1 };
    const staticValues = { b: 2 };
    enrichContext(request, { staticValues, fromHeaders: { h: 'c' } }, () => 'v');
    expect(request).toEqual({ a: 1 });
    expect(staticValues).toEqual({ b: 2 });
  });

  it('keeps a context key named __proto__ an ordinary key', () => {
    const request = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, never>;
    const enriched = enrichContext(request, { staticValues: { s: 1 }, fromHeaders: {} }, noHeaders);
    expect(Object.keys(enriched)).toEqual(['__proto__', 's']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('readNodeHeader', () => {
  it('reads the first value of a repeated header and undefined for a missing one', () => {
    const read = readNodeHeader({ 'x-a': ['first', 'second'], 'x-b': 'only' });
    expect([read('x-a'), read('x-b'), read('x-c')]).toEqual(['first', 'only', undefined]);
  });
});
