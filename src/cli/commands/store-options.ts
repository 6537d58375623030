import type { Command } from 'commander';
import type { EnvironmentSnapshot } from '../../options/read-options.js';
import { connectStore, createStoreClient, type StoreClient } from '../../store/connect-store.js';
import { resolveStoreLocation, STORE_VARIABLE } from '../../store/resolve-store-location.js';
import { DEFAULT_FLAG_SET_ID, parseFlagSetId } from '../../store/store-keys.js';
import { STORE_URL_FORMS, type StoreLocation } from '../../store/store-url.js';
import { EXIT_CODES, failure, type Step } from '../command-result.js';

/** `--store` and `--flag-set` as commander parses them. */
export interface StoreFlags {
  readonly store?: string;
  readonly flagSet?: string;
}

/** The store and flag set a command works on. */
export interface StoreTarget {
  readonly location: StoreLocation;
  readonly flagSetId: string;
}

/** Adds `--store` and `--flag-set`, as `push` and `pull` spell them. */
export function addStoreOptions(command: Command): Command {
  return command
    .option('--store <url>', `the flag store: ${STORE_URL_FORMS} (env ${STORE_VARIABLE})`)
    .option('--flag-set <id>', `the flag set in the store (default: ${DEFAULT_FLAG_SET_ID})`);
}

/** The store and flag set of a command line; a missing or bad URL or id fails with exit code 1. */
export function storeTargetOf(flags: StoreFlags, environment: EnvironmentSnapshot): Step<StoreTarget> {
  const location = resolveStoreLocation(flags.store, environment);
  if (!location.ok) return failure(EXIT_CODES.invalid, location.error);
  if (location.value === undefined)
    return failure(EXIT_CODES.invalid, `No store given: pass --store redis://host:6379 or set ${STORE_VARIABLE}`);
  const flagSetId = parseFlagSetId(flags.flagSet ?? DEFAULT_FLAG_SET_ID);
  if (!flagSetId.ok) return failure(EXIT_CODES.invalid, flagSetId.error);
  return { ok: true, value: { location: location.value, flagSetId: flagSetId.value } };
}

/**
 * Runs `work` on a connected client and always disconnects after; a store that cannot be reached, or
 * fails mid-way, ends the command with exit code 2 and a line naming the store.
 */
export async function withStore<T>(
  location: StoreLocation,
  work: (client: StoreClient) => Promise<Step<T>>,
): Promise<Step<T>> {
  const connected = await connectStore(createStoreClient(location), location);
  if (!connected.ok) return failure(EXIT_CODES.unreadable, connected.error);
  try {
    return await work(connected.value);
  } catch (error) {
    return failure(
      EXIT_CODES.unreadable,
      `Store ${location.redacted}: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    connected.value.disconnect();
  }
}
