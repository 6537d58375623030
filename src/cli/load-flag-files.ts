import { didYouMean } from '../errors/did-you-mean.js';
import type { NormalizedFlagSet } from '../flagd/model.js';
import { mergeFlagSets } from '../flagd/parse/merge-flag-sets.js';
import { applyGenesisEnvOverrides } from '../genesis/apply-genesis-env-overrides.js';
import type { GenesisDocument } from '../genesis/genesis-document.js';
import { readGenesisDocument } from '../genesis/read-genesis-document.js';
import type { EnvironmentSnapshot } from '../loading/env-overrides.js';
import { loadParsedDocument } from '../loading/load-flag-document.js';
import { EXIT_CODES, failure, type Step } from './command-result.js';
import { genesisOverrideLookup, readEnvOverrideSettings, type EnvOverrideSettings } from './env-override-settings.js';
import { describeFileProblems } from '../validation/find-file-problems.js';
import type { ParsedFlagFile } from '../validation/parsed-flag-file.js';
import { readParsedFlagFile, withRolloutLayer } from './read-parsed-flag-file.js';

/** A Genesis file's flags as written, and as the environment overrides them (what is evaluated). */
export interface GenesisFlags {
  readonly asWritten: GenesisDocument;
  readonly effective: GenesisDocument;
}

/** The file a flag is served from (the last one defining it), with its Genesis form when it has one. */
export interface FlagOrigin {
  readonly file: ParsedFlagFile;
  readonly genesis: GenesisFlags | undefined;
}

/** The files loaded as the provider would serve them. */
export interface LoadedFlags {
  /** The files read, in order. */
  readonly paths: readonly string[];
  readonly set: NormalizedFlagSet;
  readonly origins: ReadonlyMap<string, FlagOrigin>;
  readonly settings: EnvOverrideSettings;
  readonly warnings: readonly string[];
}

/** The file the flag commands read when given none. */
export const DEFAULT_FLAG_FILES: readonly string[] = ['config/feature_flags.json'];

/**
 * Loads flag files in order, later files winning per key, through the loader the provider uses (a
 * Genesis file checked, overridden from the environment and translated to flagd; a flagd file
 * overridden and normalised), with the provider's override settings read from `environment`. A
 * Genesis file's own form is kept beside, for the commands that speak of Genesis rules. No paths
 * means `DEFAULT_FLAG_FILES`. An unreadable file fails with exit code 2, an invalid one with 1.
 */
export function loadFlagFiles(paths: readonly string[], environment: EnvironmentSnapshot): Step<LoadedFlags> {
  const warnings: string[] = [];
  const settings = readEnvOverrideSettings(environment, (message) => void warnings.push(message));
  const layers: { origin: string; set: NormalizedFlagSet }[] = [];
  const origins = new Map<string, FlagOrigin>();
  const files = paths.length === 0 ? DEFAULT_FLAG_FILES : paths;
  for (const path of files) {
    const parsed = readParsedFlagFile(path);
    if (!parsed.ok) return parsed;
    const read = { ok: true as const, value: withRolloutLayer(parsed.value) };
    const genesis =
      read.value.format === 'genesis'
        ? readGenesisFlags(read.value, settings)
        : { ok: true as const, value: undefined };
    if (!genesis.ok) return genesis;
    const envOverrides = settings.enabled ? { environment: settings.environment, prefix: settings.prefix } : undefined;
    const loaded = loadParsedDocument(
      read.value.raw,
      path,
      envOverrides === undefined ? { strict: false } : { strict: false, envOverrides },
    );
    if (!loaded.ok) return failure(EXIT_CODES.invalid, loaded.error);
    layers.push({ origin: path, set: loaded.value });
    for (const key of loaded.value.flags.keys()) origins.set(key, { file: read.value, genesis: genesis.value });
  }
  const set = mergeFlagSets(layers);
  return { ok: true, value: { paths: files, set, origins, settings, warnings: [...warnings, ...set.warnings] } };
}

/**
 * The Genesis form of a file, as written and as overridden; the loader reports override warnings,
 * so they are not repeated here. An invalid file fails with every problem located in the file.
 */
function readGenesisFlags(file: ParsedFlagFile, settings: EnvOverrideSettings): Step<GenesisFlags> {
  const read = readGenesisDocument(file.raw, file.path);
  if (!read.ok)
    return failure(EXIT_CODES.invalid, `${file.path} is not a valid Genesis flag file:`, ...describeFileProblems(file));
  const asWritten = read.value;
  const effective = settings.enabled
    ? applyGenesisEnvOverrides(asWritten, genesisOverrideLookup(settings), () => {})
    : asWritten;
  return { ok: true, value: { asWritten, effective } };
}

/** Non-fatal findings of loading, as the provider would log them. */
export function warningLines(loaded: LoadedFlags): string[] {
  return loaded.warnings.map((warning) => `warning: ${warning}`);
}

/** The line a command prints for a key that no file defines, naming the files read. */
export function flagNotFoundLine(loaded: LoadedFlags, flagKey: string): string {
  const hint = didYouMean(flagKey, loaded.set.flags.keys());
  return `error: FLAG_NOT_FOUND: flag "${flagKey}" is in none of ${loaded.paths.join(', ')}${hint}`;
}
