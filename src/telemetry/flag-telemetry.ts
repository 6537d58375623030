import { TelemetryAttribute, type TrackingEventDetails } from '@openfeature/core';
import { metrics, type Attributes, type MeterProvider } from '@opentelemetry/api';
import { createFlagInstruments, EVENT_NAME_ATTRIBUTE, type FlagInstruments } from './flag-instruments.js';

/** What telemetry needs of an evaluation: OpenFeature's resolution fields. */
export interface EvaluationOutcome {
  readonly variant?: string | undefined;
  readonly reason?: string | undefined;
  readonly errorCode?: string | undefined;
}

/** The meter's name: the instrumentation scope the instruments belong to. */
export const METER_NAME = 'genesis-flags';

/**
 * Records evaluations and tracked events through the OpenTelemetry metrics API. Nothing is
 * recorded anywhere until the app installs an OpenTelemetry SDK (the API's global meter provider is
 * a no-op until then). The meter provider is looked up at each recording (a global read) and the
 * instruments made again when it changed, so an SDK installed after the provider was created — or
 * after the first evaluations — is used from then on.
 */
export class FlagTelemetry {
  #instruments: FlagInstruments | undefined;
  #from: MeterProvider | undefined;

  constructor(
    private readonly providerName: string,
    private readonly meterProvider: () => MeterProvider = () => metrics.getMeterProvider(),
  ) {}

  /** One evaluation, attributed as OpenFeature's OpenTelemetry appendix names it. */
  recordEvaluation(flagKey: string, outcome: EvaluationOutcome): void {
    const attributes: Attributes = {
      [TelemetryAttribute.KEY]: flagKey,
      [TelemetryAttribute.PROVIDER]: this.providerName,
      [TelemetryAttribute.REASON]: (outcome.reason ?? 'UNKNOWN').toLowerCase(),
      ...(outcome.variant === undefined ? {} : { [TelemetryAttribute.VARIANT]: outcome.variant }),
      ...(outcome.errorCode === undefined ? {} : { [TelemetryAttribute.ERROR_CODE]: outcome.errorCode.toLowerCase() }),
    };
    this.#meter().evaluations.add(1, attributes);
  }

  /**
   * One tracked event, attributed to `variant` of `flagKey`: counted, counted as an error when
   * `details.error` is `true`, and its numeric `value` (a latency in milliseconds, by our
   * convention) recorded in seconds.
   */
  recordTracked(flagKey: string, variant: string, eventName: string, details: TrackingEventDetails): void {
    const instruments = this.#meter();
    const attributes: Attributes = {
      [TelemetryAttribute.KEY]: flagKey,
      [TelemetryAttribute.VARIANT]: variant,
      [EVENT_NAME_ATTRIBUTE]: eventName,
    };
    instruments.trackedEvents.add(1, attributes);
    if (details['error'] === true) instruments.trackedErrors.add(1, attributes);
    const { value } = details;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0)
      instruments.trackedDuration.record(value / 1000, attributes);
  }

  #meter(): FlagInstruments {
    const provider = this.meterProvider();
    if (this.#instruments === undefined || provider !== this.#from) {
      this.#instruments = createFlagInstruments(provider.getMeter(METER_NAME));
      this.#from = provider;
    }
    return this.#instruments;
  }
}
