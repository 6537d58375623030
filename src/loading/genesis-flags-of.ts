import type { GenesisFlags } from '../genesis/check-requires.js';
import { applyGenesisEnvOverrides } from '../genesis/apply-genesis-env-overrides.js';
import { flattenGenesisFlag } from '../genesis/flatten-genesis-flag.js';
import { genesisEnvOverrideLookup } from './env-overrides.js';
import type { LoadOptions } from './flag-document-loader.js';

/**
 * The flags of a Genesis document that has loaded, as the children in other files see them: flat,
 * with the environment overrides applied (an override of a parent reaches every file's children).
 * The document's own load has already reported any override warnings.
 */
export function genesisFlagsOf(document: unknown, options: LoadOptions): GenesisFlags {
  const raw = (document as { flags: Record<string, Record<string, unknown>> }).flags;
  const flags = Object.fromEntries(Object.entries(raw).map(([key, flag]) => [key, flattenGenesisFlag(flag)]));
  if (options.envOverrides === undefined) return flags;
  const ignore = (): void => undefined;
  const lookup = genesisEnvOverrideLookup(options.envOverrides, ignore);
  return applyGenesisEnvOverrides({ flags }, lookup, ignore).flags;
}
