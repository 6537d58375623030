import {
  type BucketVariant,
  type FractionalDistribution,
  parseDistribution,
  pickBucket,
} from './fractional-distribution.js';
import { murmur3Utf8 } from './murmur3.js';
import { targetingKeyOf } from './targeting-data.js';

/** The flagd rule name; the flag key is bound when the flag compiles (see `prepareTargeting`). */
export const FRACTIONAL_RULE = 'fractional';

/**
 * flagd's `fractional`: deterministic weighted bucketing. `args` are the evaluated arguments:
 * an optional bucketing key followed by `[variant, weight?]` buckets. A string first argument
 * is the bucketing key; otherwise the key is `flagKey + targetingKey` (a null first argument,
 * e.g. a missing `var`, is dropped as flagd does). No targeting key, or an empty one, gives null.
 */
export function fractional(args: unknown, data: unknown, flagKey: string): BucketVariant {
  if (!Array.isArray(args) || args.length === 0) return null;
  const first: unknown = args[0];
  if (typeof first === 'string') {
    const distribution = parseDistribution(args.slice(1));
    return distribution === undefined ? null : pickBucket(distribution, murmur3Utf8(first));
  }
  const distribution = parseDistribution(first === null || first === undefined ? args.slice(1) : args);
  return distribution === undefined ? null : bucketByTargetingKey(distribution, data, flagKey);
}

/** Buckets by `flagKey + targetingKey`, or null when the context has no usable targeting key. */
export function bucketByTargetingKey(
  distribution: FractionalDistribution,
  data: unknown,
  flagKey: string,
): BucketVariant {
  const targetingKey = targetingKeyOf(data);
  if (typeof targetingKey !== 'string' || targetingKey === '') return null;
  return pickBucket(distribution, murmur3Utf8(targetingKey, flagKey));
}
