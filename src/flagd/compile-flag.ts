import { StandardResolutionReasons } from '@openfeature/core';
import { flagTypeOf } from './flag-type-of.js';
import { frozenCopy } from './frozen-copy.js';
import { hasTargeting } from './has-targeting.js';
import { exceedsDepth } from '../document/json-depth.js';
import type {
  CompiledFlag,
  EvaluationPlan,
  FlagDefinition,
  FlagEntry,
  FlagMetadata,
  JsonValue,
  VariantAnswer,
} from './model.js';
import { isJsonObject } from '../document/json-object.js';
import { compileTargeting } from './targeting/compile-targeting.js';
import { MAX_TARGETING_DEPTH } from './targeting/prepare-targeting.js';

/** Deepest nesting a variant value may have, the same bound as for rules. */
export const MAX_VARIANT_DEPTH = MAX_TARGETING_DEPTH;

const NO_ANSWERS: EvaluationPlan = Object.freeze({
  byDefault: undefined,
  byVariant: new Map(),
  injectsFlagdProperties: false,
});

/**
 * Compiles one flag, once, when flags load: targeting becomes a function, every variant's
 * resolution is built and frozen. Never throws: a flag that cannot work (a `loadError`, an
 * invalid state, variants or default variant, a rule that does not compile or is over the
 * limits) keeps `parseError` and answers PARSE_ERROR, while the rest of its set works.
 */
export function compileFlag(entry: FlagEntry): CompiledFlag {
  const key = entry.key;
  const definition: Partial<FlagDefinition> = isJsonObject(entry.definition) ? entry.definition : {};
  const shape = readShape(key, definition);
  const base: FlagBase = {
    key,
    // A disabled flag answers DISABLED even when broken, as in flagd-core.
    state: definition.state === 'DISABLED' ? ('DISABLED' as const) : ('ENABLED' as const),
    variants: typeof shape === 'string' ? new Map<string, JsonValue>() : shape.variants,
    defaultVariant: typeof shape === 'string' ? undefined : shape.defaultVariant,
    metadata: freezeMetadata(definition.metadata),
  };
  const problem = entry.loadError ?? (typeof shape === 'string' ? shape : undefined);
  if (problem !== undefined) return assemble(base, undefined, problem, NO_ANSWERS);
  if (!hasTargeting(definition.targeting)) return assemble(base, undefined, undefined, planAnswers(base, false, false));
  const compiled = compileTargeting(definition.targeting, key);
  if (typeof compiled === 'string') return assemble(base, undefined, compiled, NO_ANSWERS);
  return assemble(base, compiled.rule, undefined, planAnswers(base, true, compiled.injectsFlagdProperties));
}

type FlagBase = Pick<CompiledFlag, 'key' | 'state' | 'variants' | 'defaultVariant' | 'metadata'>;

/**
 * One object literal naming every property in one order, so that all compiled flags share one
 * hidden class: spreading a base object gave each flag its own, and the evaluator's property
 * reads fell onto V8's slow path in large flag sets (see docs/BENCHMARKS.md).
 */
function assemble(
  base: FlagBase,
  rule: CompiledFlag['rule'],
  parseError: string | undefined,
  plan: EvaluationPlan,
): CompiledFlag {
  return {
    key: base.key,
    state: base.state,
    variants: base.variants,
    defaultVariant: base.defaultVariant,
    metadata: base.metadata,
    rule,
    parseError,
    plan,
  };
}

interface FlagShape {
  readonly variants: Map<string, JsonValue>;
  readonly defaultVariant: string | undefined;
}

/** The variants (frozen copies) and default variant, or what is wrong with them or the state. */
function readShape(key: string, definition: Partial<FlagDefinition>): FlagShape | string {
  const { state, defaultVariant } = definition;
  if (state !== 'ENABLED' && state !== 'DISABLED') {
    return `Flag '${key}' has state ${JSON.stringify(state) ?? 'undefined'}; expected "ENABLED" or "DISABLED"`;
  }
  const variants = readVariants(key, definition.variants);
  if (typeof variants === 'string') return variants;
  // flagd treats a null, absent or empty default variant alike: there is none.
  if (defaultVariant === undefined || defaultVariant === null || defaultVariant === '')
    return { variants, defaultVariant: undefined };
  if (typeof defaultVariant !== 'string') return `Flag '${key}' has a defaultVariant that is not a string`;
  if (!variants.has(defaultVariant)) return `Default variant '${defaultVariant}' of flag '${key}' names no variant`;
  return { variants, defaultVariant };
}

function readVariants(key: string, variants: unknown): Map<string, JsonValue> | string {
  if (!isJsonObject(variants)) return `Flag '${key}' has no variants object`;
  const read = new Map<string, JsonValue>();
  for (const [name, value] of Object.entries(variants as Record<string, JsonValue>)) {
    if (exceedsDepth(value, MAX_VARIANT_DEPTH))
      return `Variant '${name}' of flag '${key}' nests deeper than ${MAX_VARIANT_DEPTH} levels`;
    read.set(name, frozenCopy(value));
  }
  return read;
}

function freezeMetadata(metadata: unknown): FlagMetadata {
  return Object.freeze(isJsonObject(metadata) ? { ...(metadata as FlagMetadata) } : {});
}

interface PlanInput {
  readonly variants: ReadonlyMap<string, JsonValue>;
  readonly defaultVariant: string | undefined;
  readonly metadata: FlagMetadata;
}

/** Every resolution a successful evaluation can return, built once. */
function planAnswers(flag: PlanInput, targeted: boolean, injectsFlagdProperties: boolean): EvaluationPlan {
  const byVariant = new Map<string, VariantAnswer>();
  for (const [name, value] of flag.variants) {
    byVariant.set(name, answer(name, value, StandardResolutionReasons.TARGETING_MATCH, flag.metadata));
  }
  const defaultValue = flag.defaultVariant === undefined ? undefined : flag.variants.get(flag.defaultVariant);
  const byDefault =
    flag.defaultVariant === undefined || defaultValue === undefined
      ? undefined
      : answer(
          flag.defaultVariant,
          defaultValue,
          targeted ? StandardResolutionReasons.DEFAULT : StandardResolutionReasons.STATIC,
          flag.metadata,
        );
  return Object.freeze({ byDefault, byVariant, injectsFlagdProperties });
}

function answer(variant: string, value: JsonValue, reason: string, flagMetadata: FlagMetadata): VariantAnswer {
  return Object.freeze({
    type: flagTypeOf(value),
    resolution: Object.freeze({ value, variant, reason, flagMetadata }),
  });
}
