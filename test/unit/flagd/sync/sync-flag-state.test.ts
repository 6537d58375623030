import { describe, expect, it } from 'vitest';
import { SyncFlagState, type WireFlag } from '../../../../src/flagd/sync/sync-flag-state.js';

function flag(value: string, metadata?: Record<string, string>): WireFlag {
  return {
    state: 'ENABLED',
    variants: { v: value },
    defaultVariant: 'v',
    ...(metadata === undefined ? {} : { metadata }),
  };
}

function flagsOf(payload: string | undefined): Record<string, WireFlag> {
  if (payload === undefined) throw new Error('no payload');
  return (JSON.parse(payload) as { flags: Record<string, WireFlag> }).flags;
}

describe('SyncFlagState', () => {
  it('serves nothing for the whole set until every source has loaded', () => {
    const state = new SyncFlagState(['a.json', 'b.json']);
    state.update('a.json', { x: flag('a') });
    expect(state.payload({ kind: 'all' })).toBeUndefined();
    expect(state.complete).toBe(false);
    state.update('b.json', {});
    expect(flagsOf(state.payload({ kind: 'all' }))).toEqual({ x: flag('a') });
    expect(state.complete).toBe(true);
  });

  it('serves a loaded source while another is still missing', () => {
    const state = new SyncFlagState(['a.json', 'b.json']);
    state.update('a.json', { x: flag('a') });
    expect(flagsOf(state.payload({ kind: 'source', source: 'a.json' }))).toEqual({ x: flag('a') });
    expect(state.payload({ kind: 'source', source: 'b.json' })).toBeUndefined();
  });

  it('serves the loaded sources, and an empty unloaded one, once told not to wait', () => {
    const state = new SyncFlagState(['a.json', 'b.json']);
    state.update('a.json', { x: flag('a') });
    let notified = 0;
    state.subscribe(() => notified++);
    state.allowPartial();
    expect(notified).toBe(1);
    expect(flagsOf(state.payload({ kind: 'all' }))).toEqual({ x: flag('a') });
    expect(state.payload({ kind: 'source', source: 'b.json' })).toBe('{"flags":{}}');
    expect(state.complete).toBe(false);
  });

  it('lets the later source win a key defined twice', () => {
    const state = new SyncFlagState(['a.json', 'b.json']);
    state.update('a.json', { x: flag('a'), onlyA: flag('a') });
    state.update('b.json', { x: flag('b') });
    expect(flagsOf(state.payload({ kind: 'all' }))).toEqual({ x: flag('b'), onlyA: flag('a') });
  });

  it('gives an unknown source the empty flag document', () => {
    const state = new SyncFlagState(['a.json']);
    state.update('a.json', { x: flag('a') });
    expect(state.payload({ kind: 'source', source: 'nope.json' })).toBe('{"flags":{}}');
    expect(state.payload({ kind: 'flagSetId', flagSetId: 'nope' })).toBe('{"flags":{}}');
  });

  it('selects by flag set id across sources and leaks no other set', () => {
    const state = new SyncFlagState(['a.json', 'b.json']);
    state.update('a.json', { pay: flag('1', { flagSetId: 'payments' }), ship: flag('2', { flagSetId: 'shipping' }) });
    state.update('b.json', { refund: flag('3', { flagSetId: 'payments' }), plain: flag('4') });
    expect(Object.keys(flagsOf(state.payload({ kind: 'flagSetId', flagSetId: 'payments' }))).sort()).toEqual([
      'pay',
      'refund',
    ]);
    expect(Object.keys(flagsOf(state.payload({ kind: 'flagSetId', flagSetId: undefined })))).toEqual(['plain']);
  });

  it('keeps a flag named __proto__ an ordinary key', () => {
    const state = new SyncFlagState(['a.json']);
    state.update(
      'a.json',
      JSON.parse('{"__proto__": {"state":"ENABLED","variants":{"v":"p"},"defaultVariant":"v"}}') as Record<
        string,
        WireFlag
      >,
    );
    expect(state.payload({ kind: 'all' })).toBe(
      '{"flags":{"__proto__":{"state":"ENABLED","variants":{"v":"p"},"defaultVariant":"v"}}}',
    );
  });

  it('tells subscribers after each update and stops when asked', () => {
    const state = new SyncFlagState(['a.json']);
    let calls = 0;
    const stop = state.subscribe(() => calls++);
    state.update('a.json', {});
    stop();
    state.update('a.json', {});
    expect(calls).toBe(1);
  });

  it('refuses an update for a source it was not configured with', () => {
    const state = new SyncFlagState(['a.json']);
    expect(() => state.update('b.json', {})).toThrow('Unknown sync source: b.json');
  });
});
