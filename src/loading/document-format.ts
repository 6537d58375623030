import { applyGenesisEnvOverrides } from '../genesis/apply-genesis-env-overrides.js';
import type { RequiresScope } from '../genesis/check-requires.js';
import type { GenesisDocument } from '../genesis/genesis-document.js';
import { isGenesisDocument } from '../genesis/is-genesis-document.js';
import { readGenesisDocument } from '../genesis/read-genesis-document.js';
import { translateGenesisDocument } from '../genesis/translate-genesis-document.js';
import { applyEnvOverrides, genesisEnvOverrideLookup, type EnvOverrideOptions } from './env-overrides.js';
import type { ResultWithWarnings } from '../errors/result.js';

/** A Genesis document's flags as written (read and flattened) and as evaluated (environment overrides applied). */
export interface GenesisForm {
  readonly asWritten: GenesisDocument;
  readonly effective: GenesisDocument;
}

/** A document in flagd form, with the Genesis form it was translated from, if any. */
export interface FlagdForm {
  readonly document: unknown;
  readonly genesis: GenesisForm | undefined;
}

/**
 * Turns a parsed document, in any format the loader accepts, into a flagd flag-set document with the
 * environment overrides applied. Each format other than flagd is one branch here, recognised by the
 * document's shape or declaration. A flagd document passes through as it is: normalisation checks it.
 * A Genesis document is read, overridden, then translated, so that an override of a parent reaches
 * its children (`ORCHESTRATION_ENABLED=false` turns off every flag that requires it); its Genesis
 * form is kept for whoever speaks of Genesis rules. With a scope, a Genesis document's parents may be
 * in the other files loaded with it.
 */
export function translateToFlagd(
  document: unknown,
  origin: string,
  envOverrides?: EnvOverrideOptions,
  scope?: RequiresScope,
): ResultWithWarnings<FlagdForm> {
  if (isGenesisDocument(document)) return translateGenesis(document, origin, envOverrides, scope);
  if (envOverrides === undefined) return { ok: true, value: { document, genesis: undefined }, warnings: [] };
  const overridden = applyEnvOverrides(document, envOverrides);
  return { ok: true, value: { document: overridden.document, genesis: undefined }, warnings: overridden.warnings };
}

function translateGenesis(
  document: unknown,
  origin: string,
  envOverrides: EnvOverrideOptions | undefined,
  scope: RequiresScope | undefined,
): ResultWithWarnings<FlagdForm> {
  const read = readGenesisDocument(document, origin, scope);
  if (!read.ok) return read;
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
  };
  const asWritten = read.value;
  const effective =
    envOverrides === undefined
      ? asWritten
      : applyGenesisEnvOverrides(asWritten, genesisEnvOverrideLookup(envOverrides, warn), warn);
  const translated = translateGenesisDocument(effective, scope === undefined ? {} : { scope });
  if (!translated.ok) return translated;
  return { ok: true, value: { document: translated.value, genesis: { asWritten, effective } }, warnings };
}
