import { Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { FlagSyncHandler } from '../../../../src/flagd/sync/flag-sync-handler.js';
import { SyncFlagState, type WireFlags } from '../../../../src/flagd/sync/sync-flag-state.js';
import type { SyncFlagsRequest, SyncFlagsResponse } from '../../../../src/flagd/sync/sync-messages.js';
import type { SyncObserver } from '../../../../src/flagd/sync/sync-subscription.js';
import { FakeServerStream } from './fake-server-stream.js';

const setA: WireFlags = {
  a: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on', metadata: { flagSetId: 'A' } },
};
const setB: WireFlags = {
  b: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on', metadata: { flagSetId: 'B' } },
};

function loadedState(): SyncFlagState {
  const state = new SyncFlagState(['a.json', 'b.json']);
  state.update('a.json', setA);
  state.update('b.json', setB);
  return state;
}

function subscribe(
  handler: FlagSyncHandler,
  selector = '',
  headers: Record<string, string> = {},
): FakeServerStream<SyncFlagsRequest, SyncFlagsResponse> {
  const stream = new FakeServerStream<SyncFlagsRequest, SyncFlagsResponse>({ providerId: 'test', selector }, headers);
  handler.syncFlags(stream);
  return stream;
}

function flagKeys(message: SyncFlagsResponse | undefined): string[] {
  if (message === undefined) throw new Error('no message');
  return Object.keys((JSON.parse(message.flagConfiguration) as { flags: object }).flags).sort();
}

class CountingObserver implements SyncObserver {
  open = 0;
  pushes = 0;
  bytes = 0;
  streamOpened(): void {
    this.open++;
  }
  streamClosed(): void {
    this.open--;
  }
  pushed(payloadBytes: number): void {
    this.pushes++;
    this.bytes += payloadBytes;
  }
}

describe('FlagSyncHandler.syncFlags', () => {
  it('sends the full state on subscribe, with the sync context', () => {
    const handler = new FlagSyncHandler({ state: loadedState(), syncContext: { region: 'eu' } });
    const stream = subscribe(handler);
    expect(stream.sent).toHaveLength(1);
    expect(flagKeys(stream.sent[0])).toEqual(['a', 'b']);
    expect(stream.sent[0]?.syncContext).toEqual({ fields: { region: { stringValue: 'eu' } } });
  });

  it('sends the full state again after a change', () => {
    const state = loadedState();
    const stream = subscribe(new FlagSyncHandler({ state }));
    state.update('b.json', {});
    expect(stream.sent.map(flagKeys)).toEqual([['a', 'b'], ['a']]);
  });

  it('sends nothing when a change leaves the selected flags as they were', () => {
    const state = loadedState();
    const stream = subscribe(new FlagSyncHandler({ state }), 'source=a.json');
    state.update('b.json', {});
    expect(stream.sent).toHaveLength(1);
  });

  it('waits for the sources to load before the first message', () => {
    const state = new SyncFlagState(['a.json']);
    const stream = subscribe(new FlagSyncHandler({ state }));
    expect(stream.sent).toHaveLength(0);
    state.update('a.json', setA);
    expect(stream.sent.map(flagKeys)).toEqual([['a']]);
  });

  it('lets the flagd-selector header win over the request field', () => {
    const stream = subscribe(new FlagSyncHandler({ state: loadedState() }), 'flagSetId=A', {
      'flagd-selector': 'flagSetId=B',
    });
    expect(flagKeys(stream.sent[0])).toEqual(['b']);
  });

  it('uses the request field when there is no header', () => {
    expect(flagKeys(subscribe(new FlagSyncHandler({ state: loadedState() }), 'source=a.json').sent[0])).toEqual(['a']);
  });

  it('treats a plain selector as a source, as flagd does', () => {
    expect(flagKeys(subscribe(new FlagSyncHandler({ state: loadedState() }), 'b.json').sent[0])).toEqual(['b']);
  });

  it('ends the call with INVALID_ARGUMENT for an unknown selector key and sends nothing', () => {
    const handler = new FlagSyncHandler({ state: loadedState() });
    const stream = subscribe(handler, 'app=x');
    expect(stream.failure?.code).toBe(status.INVALID_ARGUMENT);
    expect(stream.sent).toHaveLength(0);
    expect(handler.streamCount).toBe(0);
  });

  it('sends the empty document for an unknown set', () => {
    expect(subscribe(new FlagSyncHandler({ state: loadedState() }), 'flagSetId=C').sent[0]?.flagConfiguration).toBe(
      '{"flags":{}}',
    );
  });

  it('keeps only the newest state while the transport is congested', () => {
    const state = loadedState();
    const stream = subscribe(new FlagSyncHandler({ state }));
    stream.writable = false;
    state.update('b.json', {});
    state.update('a.json', {});
    expect(stream.sent).toHaveLength(2);
    stream.drain();
    expect(stream.sent.map(flagKeys)).toEqual([['a', 'b'], ['a'], []]);
  });

  it('stops pushing to a stream the client cancelled', () => {
    const state = loadedState();
    const observer = new CountingObserver();
    const handler = new FlagSyncHandler({ state, observer });
    const stream = subscribe(handler);
    stream.cancel();
    state.update('a.json', {});
    expect(stream.sent).toHaveLength(1);
    expect(handler.streamCount).toBe(0);
    expect(observer.open).toBe(0);
  });

  it('reports opened streams, pushes and payload bytes', () => {
    const state = loadedState();
    const observer = new CountingObserver();
    const stream = subscribe(new FlagSyncHandler({ state, observer }));
    state.update('b.json', {});
    expect(observer).toMatchObject({ open: 1, pushes: 2 });
    expect(observer.bytes).toBe(stream.sent.reduce((sum, m) => sum + Buffer.byteLength(m.flagConfiguration), 0));
  });

  it('counts a stream as sent a generation once its payload went out without back-pressure', () => {
    const state = loadedState();
    let changes = 0;
    const handler = new FlagSyncHandler({ state, onStreamsChange: () => (changes += 1) });
    const flowing = subscribe(handler);
    const congested = subscribe(handler);
    expect(handler.streamsSentSince(2)).toBe(2);
    congested.writable = false;
    state.update('a.json', {});
    expect(state.generation).toBe(3);
    expect(handler.streamsSentSince(3)).toBe(1);
    expect([flowing.sent.length, congested.sent.length]).toEqual([2, 2]);
    congested.drain();
    expect(handler.streamsSentSince(3)).toBe(2);
    // Two opens, two first sends, the flowing stream's send of generation 3, the congested one's drain.
    expect(changes).toBe(6);
  });

  it('counts a stream whose selection a change left alone as current with that change', () => {
    const state = loadedState();
    const handler = new FlagSyncHandler({ state });
    const onlyA = subscribe(handler, 'flagSetId=A');
    state.update('b.json', {});
    expect(onlyA.sent).toHaveLength(1);
    expect(handler.streamsSentSince(3)).toBe(1);
  });

  it('counts no stream as current with a generation before its sources loaded', () => {
    const state = new SyncFlagState(['a.json', 'b.json']);
    const handler = new FlagSyncHandler({ state });
    subscribe(handler);
    state.update('a.json', setA);
    expect(handler.streamsSentSince(1)).toBe(0);
    state.update('b.json', setB);
    expect(handler.streamsSentSince(2)).toBe(1);
  });

  it('ends every stream with UNAVAILABLE on closeAll and refuses new ones the same way', () => {
    const handler = new FlagSyncHandler({ state: loadedState() });
    const first = subscribe(handler);
    const second = subscribe(handler, 'source=a.json');
    handler.closeAll();
    expect([first.failure?.code, second.failure?.code]).toEqual([status.UNAVAILABLE, status.UNAVAILABLE]);
    expect(handler.streamCount).toBe(0);
    expect(subscribe(handler).failure?.code).toBe(status.UNAVAILABLE);
  });
});

describe('FlagSyncHandler.fetchAllFlags', () => {
  it('answers the selected flags', () => {
    const metadata = new Metadata();
    metadata.set('flagd-selector', 'flagSetId=A');
    const reply = new FlagSyncHandler({ state: loadedState() }).fetchAllFlags(
      { providerId: '', selector: '' },
      metadata,
    );
    expect(reply).toEqual({ ok: true, value: { flagConfiguration: JSON.stringify({ flags: setA }) } });
  });

  it('answers INVALID_ARGUMENT for an unknown selector key', () => {
    const reply = new FlagSyncHandler({ state: loadedState() }).fetchAllFlags(
      { providerId: '', selector: 'x=y' },
      new Metadata(),
    );
    expect(!reply.ok && reply.error.code).toBe(status.INVALID_ARGUMENT);
  });

  it('answers UNAVAILABLE before the sources have loaded', () => {
    const reply = new FlagSyncHandler({ state: new SyncFlagState(['a.json']) }).fetchAllFlags(
      { providerId: '', selector: '' },
      new Metadata(),
    );
    expect(!reply.ok && reply.error.code).toBe(status.UNAVAILABLE);
  });
});

describe('FlagSyncHandler.getMetadata', () => {
  it('answers the sync context', () => {
    const reply = new FlagSyncHandler({ state: loadedState(), syncContext: { a: 1 } }).getMetadata();
    expect(reply).toEqual({ ok: true, value: { metadata: { fields: { a: { numberValue: 1 } } } } });
  });

  it('answers UNIMPLEMENTED when disabled, as flagd does', () => {
    const reply = new FlagSyncHandler({ state: loadedState(), disableSyncMetadata: true }).getMetadata();
    expect(!reply.ok && reply.error.code).toBe(status.UNIMPLEMENTED);
  });
});
