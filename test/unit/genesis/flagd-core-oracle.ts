import { FlagdCore, MemoryStorage } from '@openfeature/flagd-core';
import type { EvaluationContext, Logger, ResolutionDetails } from '@openfeature/core';
import murmur from 'murmurhash-js';
import { vi } from 'vitest';
import type { FlagSetDocument } from '../../../src/flagd/model.js';

const silent: Logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

/**
 * The official JS evaluator as the independent judge of a translated document. Its
 * `$flagd.timestamp` is `Math.floor(Date.now() / 1000)`, so time is set with fake timers
 * (callers enable them with `vi.useFakeTimers({ toFake: ['Date'] })`).
 */
export function flagdCoreOracle(doc: FlagSetDocument): {
  evaluate(
    flagKey: string,
    context: EvaluationContext,
    atSeconds: number,
    defaultValue?: boolean,
  ): ResolutionDetails<boolean>;
} {
  const core = new FlagdCore(undefined, silent);
  core.setConfigurations(JSON.stringify(doc));
  return {
    evaluate(flagKey, context, atSeconds, defaultValue = false) {
      vi.setSystemTime(atSeconds * 1000);
      return core.resolveBooleanEvaluation(flagKey, defaultValue, context, silent);
    },
  };
}

/** flagd-core's own schema check in strict mode: throws on any violation of flagd's schema. */
export function assertFlagdSchemaValid(doc: FlagSetDocument): void {
  new MemoryStorage(silent).setConfigurations(JSON.stringify(doc), true);
}

/** A user's bucket out of 10,000 for a flag, computed with an independent MurmurHash3 (ASCII keys only). */
export function bucketOf(flagKey: string, targetingKey: string): number {
  return Math.floor((murmur.murmur3(flagKey + targetingKey, 0) * 10_000) / 2 ** 32);
}

/** Unix seconds of an ISO instant, for readable test data. */
export function seconds(iso: string): number {
  return Date.parse(iso) / 1000;
}
