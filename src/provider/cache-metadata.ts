import type { FlagValue, Resolution } from '../flagd/model.js';
import { ENV_OVERRIDE_SOURCE } from '../genesis/apply-genesis-env-overrides.js';

/** The value `flagMetadata.source` takes while the flags come from the sync cache file. */
export const CACHE_SOURCE = 'cache';

/**
 * The resolution marked as answered from the cache. A flag overridden from the environment keeps
 * `source: 'env'`: its value comes from the variable, not from the cache.
 */
export function markFromCache<T extends FlagValue>(resolution: Resolution<T>): Resolution<T> {
  if (resolution.flagMetadata['source'] === ENV_OVERRIDE_SOURCE) return resolution;
  return { ...resolution, flagMetadata: { ...resolution.flagMetadata, source: CACHE_SOURCE } };
}
