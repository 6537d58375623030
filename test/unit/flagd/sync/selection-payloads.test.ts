import { describe, expect, it } from 'vitest';
import { SelectionPayloads } from '../../../../src/flagd/sync/selection-payloads.js';
import { SyncFlagState, type WireFlags } from '../../../../src/flagd/sync/sync-flag-state.js';

describe('SelectionPayloads', () => {
  it('counts keys and payloads at two bytes per character and drops the least recently used past the budget', () => {
    const cache = new SelectionPayloads(100);
    cache.set('a', 'x'.repeat(19)); // 40 bytes
    cache.set('b', 'y'.repeat(19)); // 40 bytes
    expect(cache.bytes).toBe(80);
    expect(cache.get('a')).toBe('x'.repeat(19)); // now the most recently used
    cache.set('c', 'z'.repeat(19)); // 120 bytes: 'b' goes
    expect(cache.bytes).toBe(80);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('x'.repeat(19));
    expect(cache.get('c')).toBe('z'.repeat(19));
  });

  it('keeps the entry just added even when it alone is over the budget', () => {
    const cache = new SelectionPayloads(100);
    cache.set('a', 'x'.repeat(9));
    cache.set('big', 'y'.repeat(200));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('big')).toBe('y'.repeat(200));
    expect(cache.bytes).toBe(406);
  });

  it('forgets everything on clear', () => {
    const cache = new SelectionPayloads(100);
    cache.set('a', 'x');
    cache.clear();
    expect(cache.bytes).toBe(0);
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('SyncFlagState payload cache', () => {
  const flags: WireFlags = {
    checkout: {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'on',
      metadata: { flagSetId: 'shop' },
    },
  };

  it('adds no byte for 20,000 distinct 4,096-character selectors that select nothing', () => {
    const state = new SyncFlagState(['flags.json']);
    state.update('flags.json', flags);
    state.payload({ kind: 'all' });
    state.payload({ kind: 'flagSetId', flagSetId: 'shop' });
    const legitimate = state.cachedPayloadBytes;
    for (let index = 0; index < 20_000; index++) {
      const filler = `${index}-`.padEnd(4_086, 'x');
      expect(state.payload({ kind: 'flagSetId', flagSetId: filler })).toBe('{"flags":{}}');
      expect(state.payload({ kind: 'source', source: filler })).toBe('{"flags":{}}');
    }
    expect(legitimate).toBeGreaterThan(0);
    expect(state.cachedPayloadBytes).toBe(legitimate);
  });

  it('holds at most 16 MiB however many real flag sets are selected', () => {
    const state = new SyncFlagState(['flags.json']);
    const big: Record<string, WireFlags[string]> = {};
    for (let set = 0; set < 40; set++) {
      big[`flag-${set}`] = {
        state: 'ENABLED',
        variants: { on: 'x'.repeat(250_000) },
        defaultVariant: 'on',
        metadata: { flagSetId: `set-${set}` },
      };
    }
    state.update('flags.json', big);
    for (let set = 0; set < 40; set++) state.payload({ kind: 'flagSetId', flagSetId: `set-${set}` });
    expect(state.cachedPayloadBytes).toBeGreaterThan(12 * 1024 * 1024);
    expect(state.cachedPayloadBytes).toBeLessThanOrEqual(16 * 1024 * 1024);
  });
});
