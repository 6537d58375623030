import { describe, expect, it } from 'vitest';
import { SyncFlagState } from '../../../../src/flagd/sync/sync-flag-state.js';
import { EventStreamLedger } from '../../../../src/server/evaluation/event-stream-ledger.js';
import { evaluationEvents, type EvaluationEvent } from '../../../../src/server/evaluation/event-stream.js';
import { SelectionStores } from '../../../../src/server/evaluation/selection-stores.js';

const flag = (defaultVariant: string) => ({
  state: 'ENABLED' as const,
  variants: { on: true, off: false },
  defaultVariant,
});

const NO_TIMERS = { schedule: () => () => undefined };

function setup() {
  const state = new SyncFlagState(['a.json', 'b.json']);
  const stores = new SelectionStores(state);
  let changes = 0;
  const ledger = new EventStreamLedger(state, () => (changes += 1));
  const stream = (selector: string): AsyncGenerator<EvaluationEvent> =>
    evaluationEvents(
      { kind: 'source', source: selector },
      { stores, timers: NO_TIMERS, keepAliveMs: 20_000, ledger },
      new AbortController().signal,
      new AbortController().signal,
    );
  return { state, ledger, stream, changes: () => changes };
}

describe('EventStreamLedger', () => {
  it('counts an EventStream current once the transport has taken its provider_ready and each change', async () => {
    const { state, ledger, stream } = setup();
    state.update('a.json', { banner: flag('on') });
    state.update('b.json', {});
    const events = stream('a.json');
    expect(await events.next()).toMatchObject({ value: { type: 'provider_ready' } });
    expect(ledger.streamCount).toBe(1);
    expect(ledger.streamsSentSince(2)).toBe(0);
    const change = events.next();
    expect(ledger.streamsSentSince(2)).toBe(1);

    state.update('a.json', { banner: flag('off') });
    expect(ledger.streamsSentSince(3)).toBe(0);
    expect(await change).toMatchObject({ value: { type: 'configuration_change' } });
    void events.next();
    expect(ledger.streamsSentSince(3)).toBe(1);
  });

  it('counts a stream whose selection a change left alone as current with that change', async () => {
    const { state, ledger, stream } = setup();
    state.update('a.json', { banner: flag('on') });
    state.update('b.json', {});
    const events = stream('a.json');
    await events.next();
    void events.next();
    state.update('b.json', { other: flag('on') });
    expect(ledger.streamsSentSince(3)).toBe(1);
  });

  it('forgets a stream once it ends', async () => {
    const { state, ledger, stream, changes } = setup();
    state.update('a.json', {});
    state.update('b.json', {});
    const events = stream('a.json');
    await events.next();
    await events.return(undefined);
    expect(ledger.streamCount).toBe(0);
    // Opened, then closed (its provider_ready was never taken).
    expect(changes()).toBe(2);
  });
});
