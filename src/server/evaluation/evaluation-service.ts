import type { JsonObject } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { flagTypeOf } from '../../flagd/flag-type-of.js';
import type { EvaluationEnv } from '../../flagd/model.js';
import type { Timers } from '../../system/timers.js';
import { parseSelector, SELECTOR_HEADER, type FlagSelector } from '../../flagd/sync/selector.js';
import { enrichContext, type ContextEnrichment } from './enrich-context.js';
import type { EventStreamLedger } from './event-stream-ledger.js';
import { evaluationEvents, type EvaluationEvent } from './event-stream.js';
import type { SelectionStores } from './selection-stores.js';
import {
  answerOf,
  errorOf,
  FLAG_TYPE_OF,
  WIRE_DEFAULTS,
  type WireAnswer,
  type WireType,
  type WireValues,
} from './wire-answer.js';

/** The request headers the service reads (the selector, the token, mapped context headers), by lower-case name. */
export type RequestHeaders = Pick<Headers, 'get'>;

export interface EvaluationServiceOptions {
  readonly stores: SelectionStores;
  readonly enrichment: ContextEnrichment;
  readonly env: EvaluationEnv;
  readonly timers: Timers;
  /** Quiet time after which EventStream sends a keep_alive. @default 20000 (flagd's) */
  readonly keepAliveMs?: number;
  /** Where each EventStream records the state it is current with. */
  readonly ledger?: EventStreamLedger;
}

/** One flag's answer in ResolveAll; the value's case says the flag's type. */
export interface AnyFlagAnswer {
  readonly reason: string;
  readonly variant: string;
  readonly value:
    | { readonly case: 'boolValue'; readonly value: boolean }
    | { readonly case: 'stringValue'; readonly value: string }
    | { readonly case: 'doubleValue'; readonly value: number }
    | { readonly case: 'objectValue'; readonly value: JsonObject };
  readonly metadata: JsonObject;
}

/**
 * flagd's remote evaluation, independent of the protocol that carries it: the selection named by the
 * `flagd-selector` header, the request context enriched as flagd enriches it, and errors as the RPC
 * codes flagd uses. Failures are thrown as ConnectError, which is how Connect handlers answer them.
 */
export class EvaluationService {
  readonly #options: EvaluationServiceOptions;
  readonly #closing = new AbortController();

  constructor(options: EvaluationServiceOptions) {
    this.#options = options;
  }

  resolve<T extends WireType>(
    type: T,
    flagKey: string,
    context: JsonObject | undefined,
    headers: RequestHeaders,
  ): WireAnswer<WireValues[T]> {
    const store = this.#storeFor(headers);
    const resolution = store.evaluate(
      flagKey,
      FLAG_TYPE_OF[type],
      WIRE_DEFAULTS[type],
      this.#contextOf(context, headers),
      this.#options.env,
    );
    const failure = errorOf(resolution);
    if (failure !== undefined) throw failure;
    const answer = answerOf(resolution, type);
    if (answer instanceof ConnectError) throw answer;
    // answerOf converts the value to the proto type `type` names.
    return answer as WireAnswer<WireValues[T]>;
  }

  /** Every flag of the selection that answers; flags that are disabled or fail are left out, as flagd leaves them out. */
  resolveAll(
    context: JsonObject | undefined,
    headers: RequestHeaders,
  ): { flags: Record<string, AnyFlagAnswer>; metadata: JsonObject } {
    const store = this.#storeFor(headers);
    const enriched = this.#contextOf(context, headers);
    const flags: Record<string, AnyFlagAnswer> = {};
    for (const key of store.keys()) {
      const first = store.get(key)?.variants.values().next();
      if (first === undefined || first.done === true) continue;
      const type = flagTypeOf(first.value);
      const resolution = store.evaluate(key, type, WIRE_DEFAULTS.string, enriched, this.#options.env);
      if (errorOf(resolution) !== undefined || resolution.variant === undefined) continue;
      const value = anyValue(resolution.value);
      if (value === undefined) continue;
      flags[key] = {
        reason: resolution.reason ?? 'UNKNOWN',
        variant: resolution.variant,
        value,
        metadata: resolution.flagMetadata as JsonObject,
      };
    }
    return { flags, metadata: store.metadata as JsonObject };
  }

  events(headers: RequestHeaders, signal: AbortSignal): AsyncGenerator<EvaluationEvent> {
    const selector = this.#selectorOf(headers);
    const { stores, timers, keepAliveMs = 20_000, ledger } = this.#options;
    const options = { stores, timers, keepAliveMs, ...(ledger === undefined ? {} : { ledger }) };
    return evaluationEvents(selector, options, signal, this.#closing.signal);
  }

  /** Ends every open EventStream with UNAVAILABLE. */
  closeAll(): void {
    this.#closing.abort();
  }

  #storeFor(headers: RequestHeaders): NonNullable<ReturnType<SelectionStores['store']>> {
    const store = this.#options.stores.store(this.#selectorOf(headers));
    if (store === undefined) throw new ConnectError('Flag sources have not loaded yet', Code.Unavailable);
    return store;
  }

  #selectorOf(headers: RequestHeaders): FlagSelector {
    const selector = parseSelector(headers.get(SELECTOR_HEADER) ?? '');
    if (!selector.ok) throw new ConnectError(selector.error, Code.InvalidArgument);
    return selector.value;
  }

  #contextOf(context: JsonObject | undefined, headers: RequestHeaders): JsonObject {
    return enrichContext(
      context ?? {},
      this.#options.enrichment,
      (name) => headers.get(name) ?? undefined,
    ) as JsonObject;
  }
}

function anyValue(value: unknown): AnyFlagAnswer['value'] | undefined {
  switch (typeof value) {
    case 'boolean':
      return { case: 'boolValue', value };
    case 'string':
      return { case: 'stringValue', value };
    case 'number':
      return { case: 'doubleValue', value };
    default:
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? { case: 'objectValue', value: value as JsonObject }
        : undefined;
  }
}
