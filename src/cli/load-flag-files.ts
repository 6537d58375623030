import type { NormalizedFlagSet } from '../flagd/model.js';
import { mergeFlagSets } from '../flagd/parse/merge-flag-sets.js';
import { applyGenesisEnvOverrides } from '../genesis/apply-genesis-env-overrides.js';
import type { GenesisDocument } from '../genesis/genesis-document.js';
import { readGenesisDocument } from '../genesis/read-genesis-document.js';
import { translateGenesisDocument } from '../genesis/translate-genesis-document.js';
import { loadParsedDocument } from '../loading/load-flag-document.js';
import { EXIT_CODES, failure, type Step } from './command-result.js';
import type { EnvironmentSnapshot } from '../loading/env-overrides.js';
import { genesisOverrideLookup, readEnvOverrideSettings, type EnvOverrideSettings } from './env-override-settings.js';
import { describeFileProblems } from './file-problems.js';
import { readParsedFlagFile, type ParsedFlagFile } from './read-parsed-flag-file.js';

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
 * Loads flag files in order, later files winning per key, the way the provider serves them: a
 * Genesis file is checked, overridden from the environment (before translation, so that an
 * override of a parent reaches its children) and translated to flagd; a flagd file is overridden
 * and normalised, with the provider's override settings read from `environment`. No paths means
 * `DEFAULT_FLAG_FILES`. An unreadable file fails with exit code 2, an invalid one with 1.
 */
export function loadFlagFiles(paths: readonly string[], environment: EnvironmentSnapshot): Step<LoadedFlags> {
  const warnings: string[] = [];
  const settings = readEnvOverrideSettings(environment, (message) => void warnings.push(message));
  const layers: { origin: string; set: NormalizedFlagSet }[] = [];
  const origins = new Map<string, FlagOrigin>();
  const files = paths.length === 0 ? DEFAULT_FLAG_FILES : paths;
  for (const path of files) {
    const read = readParsedFlagFile(path);
    if (!read.ok) return read;
    const loaded = read.value.format === 'genesis' ? loadGenesisFile(read.value, settings, warnings) : loadFlagdFile(read.value, settings);
    if (!loaded.ok) return loaded;
    layers.push({ origin: path, set: loaded.value.set });
    for (const key of loaded.value.set.flags.keys()) origins.set(key, { file: read.value, genesis: loaded.value.genesis });
  }
  const set = mergeFlagSets(layers);
  return { ok: true, value: { paths: files, set, origins, settings, warnings: [...warnings, ...set.warnings] } };
}

interface LoadedFile {
  readonly set: NormalizedFlagSet;
  readonly genesis: GenesisFlags | undefined;
}

function loadGenesisFile(file: ParsedFlagFile, settings: EnvOverrideSettings, warnings: string[]): Step<LoadedFile> {
  const read = readGenesisDocument(file.raw, file.path);
  if (!read.ok) return invalidFile(file);
  const asWritten = read.value;
  const warn = (message: string): void => void warnings.push(message);
  const effective = settings.enabled ? applyGenesisEnvOverrides(asWritten, genesisOverrideLookup(settings), warn) : asWritten;
  const translated = translateGenesisDocument(effective);
  if (!translated.ok) return failure(EXIT_CODES.invalid, translated.error);
  // Overrides are already applied to the Genesis form; the translated document is plain flagd.
  const loaded = loadParsedDocument(translated.value, file.path, { strict: false });
  if (!loaded.ok) return failure(EXIT_CODES.invalid, loaded.error);
  return { ok: true, value: { set: loaded.value, genesis: { asWritten, effective } } };
}

function loadFlagdFile(file: ParsedFlagFile, settings: EnvOverrideSettings): Step<LoadedFile> {
  const envOverrides = settings.enabled ? { environment: settings.environment, prefix: settings.prefix } : undefined;
  const options = envOverrides === undefined ? { strict: false } : { strict: false, envOverrides };
  const loaded = loadParsedDocument(file.raw, file.path, options);
  if (!loaded.ok) return failure(EXIT_CODES.invalid, loaded.error);
  return { ok: true, value: { set: loaded.value, genesis: undefined } };
}

function invalidFile(file: ParsedFlagFile): Step<never> {
  return failure(EXIT_CODES.invalid, `${file.path} is not a valid Genesis flag file:`, ...describeFileProblems(file));
}
