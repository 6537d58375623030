import { GRPC_SYNC_OPTIONS, type GrpcSyncOptions } from '../flagd/sources/grpc-sync-source-options.js';
import {
  optionDefaults,
  optionVariables,
  readOptions,
  variablesOf,
  type EnvironmentSnapshot,
} from '../options/read-options.js';
import { unknownOptionWarnings } from './option-checks.js';

/**
 * The `sync` option: where the provider subscribes for flags over flagd's sync protocol
 * (`genesis-flags serve`, or flagd itself). Every field is optional; each is declared once, in
 * `GRPC_SYNC_OPTIONS`, with its variable, default and check.
 */
export type GenesisSyncOptions = GrpcSyncOptions;

type Unset = 'caCertPath' | 'selector' | 'token' | 'cachePath';

/** The sync settings the provider runs with: every default filled in. */
export type ResolvedSyncConfig = Readonly<Required<Omit<GenesisSyncOptions, Unset>> & Pick<GenesisSyncOptions, Unset>>;

export const SYNC_DEFAULTS = optionDefaults(GRPC_SYNC_OPTIONS);

/** The environment variable of each sync option, as README's sync table lists them. */
export const SYNC_OPTION_VARIABLES = optionVariables(GRPC_SYNC_OPTIONS);

/** Every sync option name, in the order README's sync table lists them. */
export const SYNC_OPTION_NAMES = Object.freeze(Object.keys(GRPC_SYNC_OPTIONS) as (keyof GenesisSyncOptions)[]);

/** The variables whose presence alone selects sync mode when no option says which mode to use. */
export const SYNC_MODE_VARIABLES: readonly string[] = Object.freeze([
  ...variablesOf(GRPC_SYNC_OPTIONS.host),
  ...variablesOf(GRPC_SYNC_OPTIONS.port),
  ...variablesOf(GRPC_SYNC_OPTIONS.selector),
]);

/**
 * Resolves the sync settings: defaults < environment variables < the option's fields. A bad field or
 * variable is warned about by name and the next source is used.
 */
export function resolveSyncConfig(
  options: GenesisSyncOptions,
  environment: EnvironmentSnapshot,
  warnings: string[],
): ResolvedSyncConfig {
  const resolved = readOptions(GRPC_SYNC_OPTIONS, options, environment, warnings, 'sync.');
  warnings.push(...unknownOptionWarnings(options, SYNC_OPTION_NAMES, 'sync option'));
  return Object.freeze(resolved) as ResolvedSyncConfig;
}
