import { describe, expect, it } from 'vitest';
import type { Timers } from '../../../../src/system/timers.js';
import { SyncFlagState } from '../../../../src/flagd/sync/sync-flag-state.js';
import { evaluationEvents, type EvaluationEvent } from '../../../../src/server/evaluation/event-stream.js';
import { SelectionStores } from '../../../../src/server/evaluation/selection-stores.js';

const flag = (defaultVariant: string) => ({
  state: 'ENABLED' as const,
  variants: { on: true, off: false },
  defaultVariant,
});

/** Timers run by hand: `fire()` runs what is due, as a keep-alive period passing would. */
class ManualTimers implements Timers {
  readonly pending = new Set<() => void>();
  schedule(callback: () => void): () => void {
    this.pending.add(callback);
    return () => this.pending.delete(callback);
  }
  fire(): void {
    const due = [...this.pending];
    this.pending.clear();
    for (const callback of due) callback();
  }
}

function setup() {
  const state = new SyncFlagState(['a.json']);
  const stores = new SelectionStores(state);
  const timers = new ManualTimers();
  const caller = new AbortController();
  const server = new AbortController();
  const events = evaluationEvents(
    { kind: 'all' },
    { stores, timers, keepAliveMs: 20_000 },
    caller.signal,
    server.signal,
  );
  return { state, timers, caller, server, events };
}

async function next(events: AsyncGenerator<EvaluationEvent>): Promise<EvaluationEvent | undefined> {
  return (await events.next()).value ?? undefined;
}

describe('evaluationEvents', () => {
  it('sends provider_ready only once the selection has loaded', async () => {
    const { state, events } = setup();
    const first = next(events);
    state.update('a.json', { banner: flag('on') });
    expect(await first).toEqual({ type: 'provider_ready' });
  });

  it('sends configuration_change naming written, updated and deleted keys', async () => {
    const { state, events } = setup();
    state.update('a.json', { banner: flag('on'), old: flag('on') });
    expect(await next(events)).toEqual({ type: 'provider_ready' });
    const change = next(events);
    state.update('a.json', { banner: flag('off'), fresh: flag('on') });
    expect(await change).toEqual({
      type: 'configuration_change',
      data: { flags: { banner: { type: 'update' }, fresh: { type: 'write' }, old: { type: 'delete' } } },
    });
  });

  it('sends nothing for an update that changes no flag', async () => {
    const { state, timers, events } = setup();
    state.update('a.json', { banner: flag('on') });
    expect(await next(events)).toEqual({ type: 'provider_ready' });
    const event = next(events);
    state.update('a.json', { banner: flag('on') });
    timers.fire();
    expect(await event).toEqual({ type: 'keep_alive' });
  });

  it('sends keep_alive after each quiet period', async () => {
    const { state, timers, events } = setup();
    state.update('a.json', { banner: flag('on') });
    expect(await next(events)).toEqual({ type: 'provider_ready' });
    for (let round = 0; round < 2; round++) {
      const event = next(events);
      await Promise.resolve();
      timers.fire();
      expect(await event).toEqual({ type: 'keep_alive' });
    }
  });

  it('ends quietly when the caller leaves and with UNAVAILABLE when the server shuts down', async () => {
    const left = setup();
    left.state.update('a.json', {});
    expect(await next(left.events)).toEqual({ type: 'provider_ready' });
    const ended = left.events.next();
    left.caller.abort();
    expect(await ended).toEqual({ done: true, value: undefined });
    expect(left.timers.pending.size).toBe(0);

    const closed = setup();
    closed.state.update('a.json', {});
    expect(await next(closed.events)).toEqual({ type: 'provider_ready' });
    const failed = closed.events.next();
    closed.server.abort();
    await expect(failed).rejects.toMatchObject({ message: '[unavailable] Server is shutting down' });
  });
});
