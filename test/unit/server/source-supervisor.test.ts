import { describe, expect, it } from 'vitest';
import type { Timers } from '../../../src/system/timers.js';
import type { WireFlags } from '../../../src/flagd/sync/sync-flag-state.js';
import { SourceSupervisor, type LoadWireFlags } from '../../../src/server/source-supervisor.js';
import type { FlagSource, SourceListener } from '../../../src/sources/flag-source.js';

/** A source whose start fails while `missing`, and which delivers what the test pushes. */
class FakeSource implements FlagSource {
  missing = true;
  starts = 0;
  constructor(
    readonly listener: SourceListener,
    readonly retriesAfterFailedStart: boolean,
  ) {}
  async start(): Promise<void> {
    this.starts++;
    if (this.missing) throw new Error('File not found: flags.json');
    this.listener.payload('{"a":1}', false);
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

const flags: WireFlags = { a: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' } };
const loadsFlags: LoadWireFlags = () => ({ ok: true, value: flags, warnings: [] });

function setUp(load: LoadWireFlags = loadsFlags, retriesAfterFailedStart = false) {
  const timers = new ManualTimers();
  const applied: WireFlags[] = [];
  const failures: string[] = [];
  const warnings: string[] = [];
  const logger = {
    error: () => undefined,
    warn: (m: string) => void warnings.push(m),
    info: () => {},
    debug: () => {},
  };
  let source: FakeSource | undefined;
  const supervisor = new SourceSupervisor({
    origin: 'flags.json',
    load,
    createSource: (_origin, listener) => (source = new FakeSource(listener, retriesAfterFailedStart)),
    onLoaded: (value) => applied.push(value),
    onFailed: (error) => failures.push(error),
    logger,
    timers,
  });
  if (source === undefined) throw new Error('no source created');
  return { supervisor, source, timers, applied, failures, warnings };
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

  it('leaves a source that retries by itself to do so after a failed start', async () => {
    const { supervisor, source, timers } = setUp(loadsFlags, true);
    await supervisor.start();
    expect({ delays: timers.delays, lastError: supervisor.lastError }).toEqual({
      delays: [],
      lastError: 'File not found: flags.json',
    });
    source.listener.payload('{"a":1}', false);
    expect({ loaded: supervisor.loaded, lastError: supervisor.lastError, starts: source.starts }).toEqual({
      loaded: true,
      lastError: undefined,
      starts: 1,
    });
  });

  it('logs a stale upstream and keeps serving, and forgets a read failure once the source recovers', async () => {
    const { supervisor, source, applied, failures, warnings } = setUp();
    source.missing = false;
    await supervisor.start();
    source.listener.stale(new Error('stream lost'));
    source.listener.failed(new Error('still lost'));
    expect(supervisor.lastError).toBe('still lost');
    source.listener.recovered();
    expect({ applied, failures, warnings, loaded: supervisor.loaded, lastError: supervisor.lastError }).toEqual({
      applied: [flags],
      failures: ['still lost'],
      warnings: ['flags.json: stream lost (serving the last good flags)'],
      loaded: true,
      lastError: undefined,
    });
  });

  it('keeps a rejected content as the latest failure when the source recovers with it unchanged', async () => {
    const { supervisor, source } = setUp(() => ({ ok: false, error: 'flags.json:1:2: Unexpected token' }));
    source.missing = false;
    await supervisor.start();
    source.listener.recovered();
    expect(supervisor.lastError).toBe('flags.json:1:2: Unexpected token');
  });
});
