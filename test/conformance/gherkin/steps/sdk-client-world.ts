import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import type {
  Client,
  EvaluationContext,
  EvaluationContextValue,
  EvaluationDetails,
  EventDetails,
  FlagValue,
  JsonValue,
} from '@openfeature/server-sdk';
import type { EvaluationOutcome, EvaluationWorld, FlagUnderTest } from './evaluation-world.js';

export type EventKind = 'ready' | 'error' | 'stale' | 'change';

export const PROVIDER_EVENTS: Readonly<Record<EventKind, ProviderEvents>> = {
  ready: ProviderEvents.Ready,
  error: ProviderEvents.Error,
  stale: ProviderEvents.Stale,
  change: ProviderEvents.ConfigurationChanged,
};

export interface RecordedEvent {
  readonly kind: EventKind;
  readonly details: EventDetails | undefined;
}

const POLL_INTERVAL_MS = 20;
let domainCounter = 0;

/**
 * Scenario state shared by the provider suites: an SDK client of the scenario's own domain, the events
 * it saw and the flag under test. Events are consumed in order, so "ready → error → ready" means three
 * distinct events in that order.
 */
export class SdkClientWorld implements EvaluationWorld {
  flag: FlagUnderTest | undefined = undefined;
  readonly context: Record<string, EvaluationContextValue> = {};
  outcome: EvaluationOutcome | undefined = undefined;
  readonly options = new Map<string, string>();
  readonly domain = `conformance-${++domainCounter}`;
  readonly events: RecordedEvent[] = [];
  client: Client | undefined = undefined;
  lastConsumedEvent: RecordedEvent | undefined = undefined;
  #eventCursor = 0;

  async evaluate(flag: FlagUnderTest, context: EvaluationContext): Promise<EvaluationOutcome> {
    const client = this.requireClient();
    const { key, defaultValue } = flag;
    const details = await evaluateWithClient(client, flag.type, key, defaultValue, context);
    const { value, reason, variant, errorCode, flagMetadata } = details;
    return { value, reason, variant, errorCode, flagMetadata };
  }

  requireClient(): Client {
    if (this.client === undefined) throw new Error('No provider was set up before this step');
    return this.client;
  }

  /** Waits for the next unconsumed event of this kind and consumes it with everything before it. */
  async consumeEvent(kind: EventKind, timeoutMs: number): Promise<RecordedEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.events.findIndex((event, i) => i >= this.#eventCursor && event.kind === kind);
      const event = this.events[index];
      if (event !== undefined) {
        this.#eventCursor = index + 1;
        this.lastConsumedEvent = event;
        return event;
      }
      if (Date.now() >= deadline) {
        const seen = this.events.map((recorded) => recorded.kind).join(', ') || 'none';
        throw new Error(`No ${kind} event within ${timeoutMs} ms (events so far: ${seen})`);
      }
      await sleep(POLL_INTERVAL_MS);
    }
  }

  /** Closes every provider, this scenario's among them. */
  async dispose(): Promise<void> {
    await OpenFeature.clearProviders();
  }
}

function evaluateWithClient(
  client: Client,
  type: FlagUnderTest['type'],
  key: string,
  defaultValue: FlagValue,
  context: EvaluationContext,
): Promise<EvaluationDetails<FlagValue>> {
  switch (type) {
    case 'Boolean':
      return client.getBooleanDetails(key, expectType(defaultValue, 'boolean'), context);
    case 'String':
      return client.getStringDetails(key, expectType(defaultValue, 'string'), context);
    case 'Integer':
    case 'Float':
      return client.getNumberDetails(key, expectType(defaultValue, 'number'), context);
    case 'Object':
      return client.getObjectDetails(key, defaultValue as JsonValue, context);
  }
}

function expectType<T extends 'boolean' | 'string' | 'number'>(
  value: FlagValue,
  type: T,
): { boolean: boolean; string: string; number: number }[T] {
  if (typeof value !== type) throw new Error(`Default value ${JSON.stringify(value)} is not a ${type}`);
  return value as { boolean: boolean; string: string; number: number }[T];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
