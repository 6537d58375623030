import type { JsonObject } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import type { Timers } from '../../system/timers.js';
import type { FlagSelector } from '../../flagd/sync/selector.js';
import type { EventStreamLedger } from './event-stream-ledger.js';
import type { FlagChanges, SelectionStores } from './selection-stores.js';

/** One EventStream message, in flagd's event names. */
export interface EvaluationEvent {
  readonly type: 'provider_ready' | 'configuration_change' | 'keep_alive';
  readonly data?: JsonObject;
}

export interface EventStreamOptions {
  readonly stores: SelectionStores;
  readonly timers: Timers;
  /** Quiet time after which a keep_alive is sent (flagd's 20 s). */
  readonly keepAliveMs: number;
  /** Where the stream records the state it is current with (a replica's presence counts it). */
  readonly ledger?: EventStreamLedger;
}

/**
 * The events of one EventStream call, as flagd sends them: `provider_ready` once the selection's flags
 * have loaded, then `configuration_change` with `{"flags": {"<key>": {"type": ...}}}` after each change
 * of the selection, and `keep_alive` after every quiet `keepAliveMs`. Ends when `signal` aborts (the
 * caller went away), and with UNAVAILABLE when `closing` aborts (the server shuts down), so providers
 * reconnect to the next server rather than take the end for a normal one.
 */
export async function* evaluationEvents(
  selector: FlagSelector,
  options: EventStreamOptions,
  signal: AbortSignal,
  closing: AbortSignal,
): AsyncGenerator<EvaluationEvent> {
  const queue: EvaluationEvent[] = [];
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const { ledger } = options;
  const entry = ledger?.open();
  let inFlight = 0;
  /** Tells the ledger what is still to be taken by the transport (the event being yielded included). */
  const track = (): void => {
    if (entry === undefined) return;
    entry.queued = queue.length + inFlight;
    ledger?.settle(entry);
  };
  let ready = options.stores.store(selector) !== undefined;
  const stopListening = options.stores.onChange(selector, (changes) => {
    if (!ready) ready = true;
    else queue.push(changeEvent(changes));
    track();
    notify();
  });
  signal.addEventListener('abort', notify);
  closing.addEventListener('abort', notify);
  try {
    while (!ready && !signal.aborted && !closing.aborted) await nextWake((resolve) => (wake = resolve));
    if (!signal.aborted && !closing.aborted) yield { type: 'provider_ready' };
    if (entry !== undefined) entry.ready = true;
    track();
    while (!signal.aborted && !closing.aborted) {
      if (queue.length === 0) {
        const cancelKeepAlive = options.timers.schedule(() => {
          queue.push({ type: 'keep_alive' });
          notify();
        }, options.keepAliveMs);
        await nextWake((resolve) => (wake = resolve));
        cancelKeepAlive();
      }
      const event = queue.shift();
      if (event !== undefined && !signal.aborted && !closing.aborted) {
        inFlight = 1;
        yield event;
        inFlight = 0;
        track();
      }
    }
    if (closing.aborted && !signal.aborted) throw new ConnectError('Server is shutting down', Code.Unavailable);
  } finally {
    if (entry !== undefined) ledger?.close(entry);
    stopListening();
    signal.removeEventListener('abort', notify);
    closing.removeEventListener('abort', notify);
  }
}

function nextWake(register: (resolve: () => void) => void): Promise<void> {
  return new Promise((resolve) => register(resolve));
}

function changeEvent(changes: FlagChanges): EvaluationEvent {
  // A null prototype keeps a flag named `__proto__` an ordinary key.
  const flags = Object.create(null) as JsonObject;
  for (const [key, type] of Object.entries(changes)) flags[key] = { type };
  return { type: 'configuration_change', data: { flags } };
}
