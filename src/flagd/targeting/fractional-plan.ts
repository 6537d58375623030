import { isJsonObject } from '../../document/json-object.js';
import { type BucketVariant, parseDistribution, pickBucket } from './fractional-distribution.js';
import { bucketByTargetingKey, fractional } from './fractional.js';
import { murmur3Utf8 } from './murmur3.js';

/**
 * A `fractional` whose buckets are all literals, parsed once when the flag compiles. Only the
 * bucketing key (`keyExpression`, or the targeting key when it is null) is left for evaluation.
 */
export interface FractionalPlan {
  readonly keyExpression: unknown;
  readonly evaluate: (key: unknown, data: unknown) => BucketVariant;
}

/** Plans the fast path, or returns undefined when some bucket is computed at evaluation time. */
export function planFractional(rawArgs: unknown, flagKey: string): FractionalPlan | undefined {
  if (!Array.isArray(rawArgs) || rawArgs.length === 0) return undefined;
  const first: unknown = rawArgs[0];
  const keyed = !isLiteralBucket(first);
  if (keyed && !(first === null || typeof first === 'string' || isJsonObject(first))) return undefined;
  const buckets: unknown[] = keyed ? rawArgs.slice(1) : rawArgs;
  if (!buckets.every(isLiteralBucket)) return undefined;
  const distribution = parseDistribution(buckets);
  if (distribution === undefined) return undefined;
  const evaluate = (key: unknown, data: unknown): BucketVariant => {
    if (typeof key === 'string') return pickBucket(distribution, murmur3Utf8(key));
    if (key === null || key === undefined) return bucketByTargetingKey(distribution, data, flagKey);
    // A computed first argument that is neither key nor null is itself a bucket, as in flagd.
    return fractional([key, ...buckets], data, flagKey);
  };
  return { keyExpression: keyed ? first : null, evaluate };
}

function isLiteralBucket(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object');
}
