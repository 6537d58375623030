import { describe, expect, it } from 'vitest';
import type { FlagSource, SourceCallbacks } from '../../../src/flagd/sources/flag-source.js';
import type { Timers } from '../../../src/flagd/sources/timers.js';
import type { WireFlags } from '../../../src/flagd/sync/sync-flag-state.js';
import { SourceSupervisor, type LoadWireFlags } from '../../../src/server/source-supervisor.js';

/** A source whose start fails while `missing`, and which delivers what the test pushes. */
class FakeSource implements FlagSource {
  missing = true;
  starts = 0;
  constructor(readonly callbacks: SourceCallbacks) {}
  async start(): Promise<void> {
    this.starts++;
    if (this.missing) throw new Error('File not found: flags.json');
    this.callbacks.onPayload('{"a":1}');
  }
  async stop(): Promise<void> {}
}

/** Timers run by hand: `fire()` runs what is due, in order. */
class ManualTimers implements Timers {
  readonly delays: number[] = [];
  #pending: (() => void)[] = [];
  schedule(callback: () => void, delayMs: number): () => void {
    this.delays.push(delayMs);
    this.#pending.push(callback);
    return () => (this.#pending = this.#pending.filter((c) => c !== callback));
  }
  fire(): void {
    const due = this.#pending;
    this.#pending = [];
    for (const callback of due) callback();
  }
}

const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };
const flags: WireFlags = { a: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' } };

function setUp(load: LoadWireFlags = () => ({ ok: true, value: flags, warnings: [] })) {
  const timers = new ManualTimers();
  const applied: WireFlags[] = [];
  const failures: string[] = [];
  let source: FakeSource | undefined;
  const supervisor = new SourceSupervisor({
    path: 'flags.json',
    load,
    createSource: (_path, callbacks) => (source = new FakeSource(callbacks)),
    sink: { applied: (_path, value) => applied.push(value), failed: (_path, error) => failures.push(error) },
    logger: silent,
    timers,
  });
  if (source === undefined) throw new Error('no source created');
  return { supervisor, source, timers, applied, failures };
}

describe('SourceSupervisor', () => {
  it('retries a source that cannot start, doubling the wait, until it loads', async () => {
    const { supervisor, source, timers, applied, failures } = setUp();
    await supervisor.start();
    expect(supervisor.lastError).toBe('File not found: flags.json');
    timers.fire();
    await Promise.resolve();
    source.missing = false;
    timers.fire();
    await new Promise((resolve) => setImmediate(resolve));
    expect(timers.delays).toEqual([1_000, 2_000]);
    expect(failures).toEqual(['File not found: flags.json', 'File not found: flags.json']);
    expect(applied).toEqual([flags]);
    expect(supervisor.loaded).toBe(true);
    expect(supervisor.lastError).toBeUndefined();
  });

  it('reports content that does not load and stays unloaded', async () => {
    const { supervisor, source, applied, failures } = setUp(() => ({
      ok: false,
      error: 'flags.json:1:2: Unexpected token',
    }));
    source.missing = false;
    await supervisor.start();
    expect({ applied, failures, loaded: supervisor.loaded }).toEqual({
      applied: [],
      failures: ['flags.json:1:2: Unexpected token'],
      loaded: false,
    });
  });

  it('stops retrying once stopped', async () => {
    const { supervisor, source, timers } = setUp();
    await supervisor.start();
    await supervisor.stop();
    timers.fire();
    expect(source.starts).toBe(1);
  });
});
