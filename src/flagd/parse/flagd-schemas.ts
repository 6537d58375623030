import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type * as Ajv2020Module from 'ajv/dist/2020.js';
import * as precompiled from '../../generated/schema-validators/flagd-validators.js';

/** The schemas ship with the package (`schemas/`), three folders up from both `src/flagd/parse` and `dist/flagd/parse`. */
export const FLAGD_FLAGS_SCHEMA_URL = new URL('../../../schemas/flagd-flags.schema.json', import.meta.url);
export const FLAGD_TARGETING_SCHEMA_URL = new URL('../../../schemas/flagd-targeting.schema.json', import.meta.url);

const FLAGS_ID = 'urn:genesis-flags:schema:flagd-flags';
const TARGETING_ID = 'urn:genesis-flags:schema:flagd-targeting';

/** The parts of a flagd document that can be checked on their own. */
export type FlagdSchemaPart =
  'flagd-document' | 'provider-document' | 'flag' | 'listed-flag' | 'key' | 'targeting' | 'flag-set-metadata';

const PART_REFS: Readonly<Record<FlagdSchemaPart, string>> = {
  'flagd-document': FLAGS_ID,
  'provider-document': `${FLAGS_ID}#/$defs/providerDocument`,
  flag: `${FLAGS_ID}#/$defs/flag`,
  'listed-flag': `${FLAGS_ID}#/$defs/listedFlag`,
  key: `${FLAGS_ID}#/$defs/nonEmptyKey`,
  targeting: TARGETING_ID,
  'flag-set-metadata': `${FLAGS_ID}#/$defs/flagSetMetadata`,
};

/** A schema node as read from the JSON files; used to recognise where an error came from. */
export type SchemaNode = Readonly<Record<string, unknown>>;

/** The loaded schema texts, whose nodes ajv reports back (by identity) as an error's `parentSchema`. */
export interface FlagdSchemaTexts {
  readonly flags: { readonly $defs: Readonly<Record<string, SchemaNode>> };
  readonly targeting: { readonly $defs: Readonly<Record<string, SchemaNode>> };
}

/** What checking one part found; `tooDeep` when the value nests deeper than the validator's stack allows. */
export type PartCheck =
  | { readonly valid: true }
  | { readonly valid: false; readonly errors: readonly ErrorObject[]; readonly tooDeep: boolean };

type Validators = ReadonlyMap<FlagdSchemaPart, ValidateFunction>;

/** The quick validators, compiled ahead by `npm run generate` (scripts/generate-schema-validators.js). */
const QUICK: Validators = new Map<FlagdSchemaPart, ValidateFunction>([
  ['flagd-document', precompiled.flagdDocument],
  ['provider-document', precompiled.providerDocument],
  ['flag', precompiled.flag],
  ['listed-flag', precompiled.listedFlag],
  ['key', precompiled.key],
  ['targeting', precompiled.targeting],
  ['flag-set-metadata', precompiled.flagSetMetadata],
]);

let texts: FlagdSchemaTexts | undefined;
let detailed: Validators | undefined;

/** Reads the schema files on first use; every later call reuses them. */
export function flagdSchemaTexts(): FlagdSchemaTexts {
  texts ??= {
    flags: readSchema(FLAGD_FLAGS_SCHEMA_URL) as FlagdSchemaTexts['flags'],
    targeting: readSchema(FLAGD_TARGETING_SCHEMA_URL) as FlagdSchemaTexts['targeting'],
  };
  return texts;
}

/**
 * Checks a value against one part of the flagd schemas. A quick validator (first error only), compiled
 * ahead of time, gives the verdict; only a failing value is checked again by a validator that collects
 * every error with its schema node, which is compiled once per process, on first need: its errors name
 * the nodes of the schema texts this process read.
 */
export function checkFlagdSchemaPart(part: FlagdSchemaPart, value: unknown): PartCheck {
  try {
    if (validatorFor(QUICK, part)(value)) return { valid: true };
    detailed ??= compileDetailed();
    const validate = validatorFor(detailed, part);
    validate(value);
    return { valid: false, errors: validate.errors ?? [], tooDeep: false };
  } catch (cause) {
    // ajv's generated code recurses once per nesting level; absurdly deep input overflows the stack.
    if (cause instanceof RangeError) return { valid: false, errors: [], tooDeep: true };
    throw cause;
  }
}

/** scripts/generate-schema-validators.js compiles the quick ones with these options, less allErrors and verbose. */
function compileDetailed(): Validators {
  const { flags, targeting } = flagdSchemaTexts();
  // ajv takes about 0.2 CPU-s to load and is needed only here, for an invalid value: loaded now, not at start.
  const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof Ajv2020Module;
  const ajv = new Ajv2020({
    allErrors: true,
    // Errors carry their schema node, so explanations can tell which branch of a choice failed.
    verbose: true,
    // `["string", "null"]` and similar unions are part of flagd's contract.
    allowUnionTypes: true,
    // flagd's tuples are open on purpose: `[variant]` or `[variant, weight]`, a bucketing rule followed by any number of buckets.
    strictTuples: false,
  });
  ajv.addSchema(targeting as object).addSchema(flags as object);
  const validators = new Map<FlagdSchemaPart, ValidateFunction>();
  for (const [part, ref] of Object.entries(PART_REFS) as [FlagdSchemaPart, string][]) {
    const validate = ajv.getSchema(ref);
    if (validate === undefined) throw new Error(`The flagd schemas define no ${ref}`);
    validators.set(part, validate);
  }
  return validators;
}

function validatorFor(validators: Validators, part: FlagdSchemaPart): ValidateFunction {
  const validate = validators.get(part);
  if (validate === undefined) throw new Error(`Unknown flagd schema part: ${part}`);
  return validate;
}

function readSchema(url: URL): unknown {
  return JSON.parse(readFileSync(url, 'utf8'));
}
