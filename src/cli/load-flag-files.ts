import { didYouMean } from '../errors/did-you-mean.js';
import type { NormalizedFlagSet } from '../flagd/model.js';
import type { GenesisDocument } from '../genesis/genesis-document.js';
import type { EnvironmentSnapshot } from '../loading/env-overrides.js';
import { FlagLoader, type GenesisForm } from '../loading/flag-loader.js';
import { describeFileProblems } from '../validation/find-file-problems.js';
import type { ParsedFlagFile } from '../validation/parsed-flag-file.js';
import { EXIT_CODES, failure, type Step } from './command-result.js';
import { readEnvOverrideSettings, type EnvOverrideSettings } from './env-override-settings.js';
import { readParsedFlagFile, withRolloutLayer } from './read-parsed-flag-file.js';

/** The file a flag is served from (the last one defining it), with its Genesis form when it has one. */
export interface FlagOrigin {
  readonly file: ParsedFlagFile;
  readonly genesis: GenesisForm | undefined;
}

/** The files loaded as the provider would serve them. */
export interface LoadedFlags {
  /** The files read, in order. */
  readonly paths: readonly string[];
  readonly set: NormalizedFlagSet;
  readonly origins: ReadonlyMap<string, FlagOrigin>;
  /** Every Genesis file's flags as evaluated, later files winning per key: where `requires` finds parents. */
  readonly genesisFlags: GenesisDocument;
  readonly settings: EnvOverrideSettings;
  readonly warnings: readonly string[];
}

/** The file the flag commands read when given none. */
export const DEFAULT_FLAG_FILES: readonly string[] = ['config/feature_flags.json'];

/**
 * Reads flag files and loads them in order through the provider's pipeline (`FlagLoader`), later files
 * winning per key and a Genesis flag's parents found in any of them, with the provider's override
 * settings read from `environment`. No paths means `DEFAULT_FLAG_FILES`. An unreadable file fails with
 * exit code 2, an invalid one with 1 (a Genesis file's problems located in it).
 */
export function loadFlagFiles(paths: readonly string[], environment: EnvironmentSnapshot): Step<LoadedFlags> {
  const warnings: string[] = [];
  const settings = readEnvOverrideSettings(environment, (message) => void warnings.push(message));
  const files = paths.length === 0 ? DEFAULT_FLAG_FILES : paths;
  const envOverrides = settings.enabled ? { environment: settings.environment, prefix: settings.prefix } : undefined;
  const loader = new FlagLoader(
    files,
    envOverrides === undefined ? { strict: false } : { strict: false, envOverrides },
  );
  const read = new Map<string, ParsedFlagFile>();
  for (const path of files) {
    const parsed = readParsedFlagFile(path);
    if (!parsed.ok) return parsed;
    const file = withRolloutLayer(parsed.value);
    read.set(path, file);
    const loaded = loader.load(path, { document: file.raw });
    if (!loaded.ok) return invalid(loader, file, loaded.error);
  }
  const origins = new Map<string, FlagOrigin>();
  for (const layer of loader.layers()) {
    const file = read.get(layer.origin) as ParsedFlagFile;
    for (const key of layer.set.flags.keys()) origins.set(key, { file, genesis: layer.genesis });
  }
  const set = loader.merge();
  const genesisFlags = {
    flags: Object.fromEntries(loader.layers().flatMap((layer) => Object.entries(layer.genesis?.effective.flags ?? {}))),
  };
  return {
    ok: true,
    value: { paths: files, set, origins, genesisFlags, settings, warnings: [...warnings, ...set.warnings] },
  };
}

/** A Genesis file's own problems located in it; any other failure (a parent missing from every file) as the loader says it. */
function invalid(loader: FlagLoader, file: ParsedFlagFile, error: string): Step<never> {
  const problems = file.format === 'genesis' ? describeFileProblems(file, loader.scopeOf(file.path)) : [];
  if (problems.length === 0) return failure(EXIT_CODES.invalid, error);
  return failure(EXIT_CODES.invalid, `${file.path} is not a valid Genesis flag file:`, ...problems);
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
