import type { JsonObject } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import type { Timers } from '../../system/timers.js';
import type { FlagSelector } from '../../flagd/sync/selector.js';
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
  let ready = options.stores.store(selector) !== undefined;
  const stopListening = options.stores.onChange(selector, (changes) => {
    if (!ready) ready = true;
    else queue.push(changeEvent(changes));
    notify();
  });
  signal.addEventListener('abort', notify);
  closing.addEventListener('abort', notify);
  try {
    while (!ready && !signal.aborted && !closing.aborted) await nextWake((resolve) => (wake = resolve));
    if (!signal.aborted && !closing.aborted) yield { type: 'provider_ready' };
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
      if (event !== undefined && !signal.aborted && !closing.aborted) yield event;
    }
    if (closing.aborted && !signal.aborted) throw new ConnectError('Server is shutting down', Code.Unavailable);
  } finally {
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
