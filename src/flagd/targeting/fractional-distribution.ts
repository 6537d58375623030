/** The largest total weight flagd accepts (Go `math.MaxInt32`). */
export const MAX_TOTAL_WEIGHT = 0x7fffffff;

/** What a bucket may name: flagd accepts a string, boolean, number or null variant. */
export type BucketVariant = string | number | boolean | null;

/** Buckets ready to pick from: variants with their cumulative upper bounds. */
export interface FractionalDistribution {
  readonly variants: readonly BucketVariant[];
  /** `ends[i]` is the sum of the weights of buckets 0..i. */
  readonly ends: readonly number[];
  readonly totalWeight: number;
}

const INT64_MIN = -(2 ** 63);
const TWO_16 = 0x10000;
const TWO_32 = 0x100000000;

/**
 * Reads evaluated bucket arguments as flagd (Go) does: each bucket is `[variant]` or
 * `[variant, weight]` (further elements ignored); the weight defaults to 1 (also when null),
 * must be an integer, clamps to 0 when negative, and may not exceed 2^31-1, nor may the total.
 * Returns undefined for any violation, which makes the operator answer null.
 */
export function parseDistribution(buckets: readonly unknown[]): FractionalDistribution | undefined {
  const variants: BucketVariant[] = [];
  const ends: number[] = [];
  let total = 0;
  for (const bucket of buckets) {
    if (!Array.isArray(bucket) || bucket.length === 0) return undefined;
    const variant: unknown = bucket[0] ?? null;
    if (!isBucketVariant(variant)) return undefined;
    const weight = bucketWeight(bucket.length >= 2 ? bucket[1] : undefined);
    if (weight === undefined) return undefined;
    total += weight;
    if (total > MAX_TOTAL_WEIGHT) return undefined;
    variants.push(variant);
    ends.push(total);
  }
  return { variants, ends, totalWeight: total };
}

/**
 * Picks the bucket for a uint32 hash: bucket = floor(hash × totalWeight / 2^32), computed
 * exactly although the product can reach 2^63 (beyond a double's 53 bits), by splitting the
 * hash into 16-bit halves so every intermediate stays below 2^48.
 */
export function pickBucket(distribution: FractionalDistribution, hash: number): BucketVariant {
  const total = distribution.totalWeight;
  if (total === 0) return null;
  const high = Math.floor(hash / TWO_16) * total;
  const low = (hash % TWO_16) * total;
  const highWhole = Math.floor(high / TWO_16);
  const bucket = highWhole + Math.floor(((high - highWhole * TWO_16) * TWO_16 + low) / TWO_32);
  const { ends, variants } = distribution;
  for (let i = 0; i < ends.length; i++) {
    if (bucket < (ends[i] as number)) return variants[i] as BucketVariant;
  }
  return null;
}

function isBucketVariant(value: unknown): value is BucketVariant {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** Go converts the float64 weight to int64 and rejects it unless the round trip is exact. */
function bucketWeight(raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return 1;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < INT64_MIN) return undefined;
  if (raw > MAX_TOTAL_WEIGHT) return undefined;
  return raw < 0 ? 0 : raw;
}
