import { murmur3Utf8 } from '../flagd/targeting/murmur3.js';
import { TOTAL_WEIGHT } from './rollout-ramp.js';

const TWO_32 = 2 ** 32;

/**
 * A user's bucket for a flag, 0 to TOTAL_WEIGHT − 1: the slot flagd's `fractional` picks for the
 * bucketing key `flagKey + targetingKey` (the key Genesis rules write out) with the flagd hash,
 * floor(hash × total / 2^32). The user is on exactly when the bucket is below the `on` weight, since
 * `on` is the first bucket. The product stays below 2^46, so doubles compute it exactly.
 */
export function userBucket(flagKey: string, targetingKey: string): number {
  return Math.floor((murmur3Utf8(targetingKey, flagKey) * TOTAL_WEIGHT) / TWO_32);
}
