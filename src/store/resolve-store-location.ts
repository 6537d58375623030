import type { EnvironmentSnapshot } from '../options/read-options.js';
import type { Result } from '../errors/result.js';
import { parseStoreUrl, type StoreLocation } from './store-url.js';

/** The variable that names the store when `--store` is not given. */
export const STORE_VARIABLE = 'GENESIS_FLAGS_STORE';

/**
 * The store named by `--store`, else by `GENESIS_FLAGS_STORE`; undefined when neither is set. A bad
 * URL is an error even from the environment: it says where flags are written, so guessing is worse.
 */
export function resolveStoreLocation(
  option: string | undefined,
  environment: EnvironmentSnapshot,
): Result<StoreLocation | undefined> {
  const fromEnvironment = environment[STORE_VARIABLE];
  const text = option ?? (fromEnvironment === '' ? undefined : fromEnvironment);
  if (text === undefined) return { ok: true, value: undefined };
  const parsed = parseStoreUrl(text);
  if (parsed.ok || option !== undefined) return parsed;
  return { ok: false, error: `${STORE_VARIABLE}: ${parsed.error}` };
}
