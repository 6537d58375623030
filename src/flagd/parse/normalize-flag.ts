import type { Result, ResultWithWarnings } from '../../errors/result.js';
import type { FlagDefinition, FlagEntry, FlagMetadata, FlagState, JsonValue } from '../model.js';
import { isJsonObject, type JsonObjectLike } from '../../document/json-object.js';
import { defaultVariantProblem } from './default-variant-problem.js';
import { mergeMetadata } from './merge-metadata.js';
import type { RefResolver } from './resolve-evaluator-refs.js';
import { formatPath } from './schema-violation.js';

/** What every flag of one document is normalised with. */
export interface FlagInputs {
  readonly origin: string;
  readonly setMetadata: FlagMetadata;
  readonly resolveRefs: RefResolver;
}

type DefaultVariant = string | null | undefined;

/**
 * Normalises one flag: its entry with what went wrong in it, or why the whole document must be rejected.
 * Only a `defaultVariant` naming no variant rejects the document (as in flagd); a flag that is not an
 * object, has non-object variants or has unresolvable `$ref`s keeps a `loadError`, so that only this
 * flag answers PARSE_ERROR.
 */
export function normalizeFlag(key: string, raw: unknown, inputs: FlagInputs): ResultWithWarnings<FlagEntry> {
  const where = (...field: string[]): string => `${inputs.origin}: ${formatPath(['flags', key, ...field])}`;
  if (!isJsonObject(raw)) {
    // Nothing of the flag is usable; it still carries the set's metadata, returned with its PARSE_ERROR.
    return failed(key, `${where()}: must be an object`, {
      state: 'ENABLED',
      variants: {},
      ...metadataPart(inputs.setMetadata, undefined),
    });
  }
  const rawVariants = raw['variants'] ?? {};
  const variants: JsonObjectLike = isJsonObject(rawVariants) ? rawVariants : {};
  const checked = defaultVariantOf(raw['defaultVariant'], variants, () => where('defaultVariant'));
  if (!checked.ok) return checked;
  const defaultVariant = checked.value;
  const targeting = raw['targeting'] === undefined ? undefined : inputs.resolveRefs(raw['targeting']);
  const definition: FlagDefinition = {
    state: stateOf(raw['state']),
    variants: variants as Readonly<Record<string, JsonValue>>,
    ...(defaultVariant === undefined ? {} : { defaultVariant }),
    ...(targeting === undefined ? {} : { targeting: targeting.ok ? targeting.value : (raw['targeting'] as JsonValue) }),
    ...metadataPart(inputs.setMetadata, raw['metadata']),
  };
  if (!isJsonObject(rawVariants))
    return failed(key, `${where('variants')}: must be an object of variant values`, definition);
  if (targeting !== undefined && !targeting.ok)
    return failed(key, `${where('targeting')}: ${targeting.error}`, definition);
  return { ok: true, value: { key, definition }, warnings: [] };
}

/** flagd disables only on exactly "DISABLED"; any other state (a schema violation) evaluates as enabled. */
function stateOf(state: unknown): FlagState {
  return state === 'DISABLED' ? 'DISABLED' : 'ENABLED';
}

function defaultVariantOf(value: unknown, variants: JsonObjectLike, where: () => string): Result<DefaultVariant> {
  if (value === undefined) return { ok: true, value: undefined };
  // flagd reads an empty name as "no default variant", like null.
  if (value === null || value === '') return { ok: true, value: null };
  if (typeof value !== 'string')
    return { ok: false, error: `${where()}: must name a variant or be null, got ${preview(value)}` };
  const problem = defaultVariantProblem(value, variants);
  return problem === undefined ? { ok: true, value } : { ok: false, error: `${where()}: ${problem}` };
}

function metadataPart(setMetadata: FlagMetadata, flagMetadata: unknown): { metadata?: FlagMetadata } {
  const metadata = mergeMetadata(setMetadata, flagMetadata);
  return Object.keys(metadata).length === 0 ? {} : { metadata };
}

function failed(key: string, loadError: string, definition: FlagDefinition): ResultWithWarnings<FlagEntry> {
  return { ok: true, value: { key, definition, loadError }, warnings: [loadError] };
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
