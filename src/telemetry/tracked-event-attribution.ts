import type { TrackingEventDetails } from '@openfeature/core';
import { flagTypeOf } from '../flagd/flag-type-of.js';
import type { FlagStore } from '../flagd/flag-store.js';
import type { FlagType, FlagValue, Resolution } from '../flagd/model.js';
import type { FlagTelemetry } from './flag-telemetry.js';
import { isGuardedRollout } from './guarded-rollout.js';

/** Evaluates one flag for the tracked event's context, as the app's own evaluation would. */
export type ResolveForTracking = (flagKey: string, type: FlagType, defaultValue: FlagValue) => Resolution<FlagValue>;

interface GuardedFlag {
  readonly key: string;
  readonly type: FlagType;
  readonly defaultValue: FlagValue;
}

/** The variant label of an evaluation that named none (an error, a flag with no default variant). */
export const NO_VARIANT = 'none';

/**
 * Attributes each tracked event to the variant its context receives, for every flag under a
 * guarded rollout. Bucketing is deterministic (a hash of the targeting key), so re-evaluating with
 * the event's context gives the variant the same user was served: no per-user memory is kept.
 */
export class TrackedEventAttribution {
  #guarded: readonly GuardedFlag[] = [];

  constructor(private readonly telemetry: FlagTelemetry) {}

  /** Finds the guarded flags again; called whenever the served flags change. */
  refresh(store: FlagStore): void {
    this.#guarded = store.keys().flatMap((key): GuardedFlag[] => {
      const flag = store.get(key);
      if (flag === undefined || flag.state !== 'ENABLED' || !isGuardedRollout(flag.metadata)) return [];
      const first = flag.variants.values().next();
      if (first.done === true) return [];
      const type = flag.plan.byDefault?.type ?? flagTypeOf(first.value);
      return [{ key, type, defaultValue: first.value as FlagValue }];
    });
  }

  /** The keys of the flags tracked events are attributed to, for tests and diagnostics. */
  get guardedKeys(): string[] {
    return this.#guarded.map((flag) => flag.key);
  }

  record(eventName: string, details: TrackingEventDetails, resolve: ResolveForTracking): void {
    for (const flag of this.#guarded) {
      const variant = resolve(flag.key, flag.type, flag.defaultValue).variant ?? NO_VARIANT;
      this.telemetry.recordTracked(flag.key, variant, eventName, details);
    }
  }
}
