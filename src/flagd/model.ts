import type { EvaluationContext, FlagMetadata, FlagValue, JsonValue, ResolutionDetails } from '@openfeature/core';

/** The two states a flagd flag can be in. */
export type FlagState = 'ENABLED' | 'DISABLED';

/** The value types OpenFeature resolves; a flag's type is the type of its variants. */
export type FlagType = 'boolean' | 'string' | 'number' | 'object';

/**
 * What a caller asks a flag to resolve as: one type, or `any` for the variant's own type, as flagd's
 * type-less evaluations do (OFREP, gRPC `ResolveAll`), where no TYPE_MISMATCH can happen.
 */
export type RequestedType = FlagType | 'any';

/** One flag as written in a flagd document, after `$ref`s are resolved. */
export interface FlagDefinition {
  readonly state: FlagState;
  readonly variants: Readonly<Record<string, JsonValue>>;
  readonly defaultVariant?: string | null;
  /** A JSON Logic tree; absent or `{}` means the flag is static. */
  readonly targeting?: JsonValue;
  readonly metadata?: FlagMetadata;
}

/** A flagd flag-set document (the `flags` map form) as parsed from JSON or YAML. */
export interface FlagSetDocument {
  readonly flags: Readonly<Record<string, FlagDefinition>>;
  readonly $evaluators?: Readonly<Record<string, JsonValue>>;
  readonly metadata?: FlagMetadata;
}

/**
 * One flag of a normalised flag set: `$ref`s resolved, set metadata merged under the flag's own.
 * A flag whose `$ref` names no evaluator keeps `loadError`, so that only this flag answers
 * `PARSE_ERROR` while the rest of the set works.
 */
export interface FlagEntry {
  readonly key: string;
  readonly definition: FlagDefinition;
  readonly loadError?: string;
}

/** A flag set ready for the store: every flag normalised, plus what the checks found. */
export interface NormalizedFlagSet {
  readonly flags: ReadonlyMap<string, FlagEntry>;
  readonly metadata: FlagMetadata;
  /** Schema violations and other non-fatal findings, each naming the flag and field. */
  readonly warnings: readonly string[];
}

/** Compiled targeting: evaluates the rule against the data object (context plus `$flagd`). */
export type CompiledRule = (data: Readonly<Record<string, unknown>>) => unknown;

/** A flag ready to evaluate; built once when flags load. */
export interface CompiledFlag {
  readonly key: string;
  readonly state: FlagState;
  readonly variants: ReadonlyMap<string, JsonValue>;
  readonly defaultVariant: string | undefined;
  readonly metadata: FlagMetadata;
  /** Undefined for a static flag (no targeting or `{}`). */
  readonly rule: CompiledRule | undefined;
  /** Set when the targeting could not be compiled or a `$ref` was missing: evaluation gives PARSE_ERROR. */
  readonly parseError: string | undefined;
  /** Answers fixed at compile time, so evaluation allocates nothing it does not return. */
  readonly plan: EvaluationPlan;
}

/** A variant's resolution, built and frozen once; returned as-is when the requested type matches. */
export interface VariantAnswer {
  readonly type: FlagType;
  readonly resolution: Resolution<FlagValue>;
}

/** What `compileFlag` fixes ahead of evaluation. */
export interface EvaluationPlan {
  /** The default variant's answer (reason STATIC without targeting, DEFAULT with); undefined without one. */
  readonly byDefault: VariantAnswer | undefined;
  /** TARGETING_MATCH answers keyed by variant name. */
  readonly byVariant: ReadonlyMap<string, VariantAnswer>;
  /** Whether the rule reads `$flagd` properties only evaluation knows (the timestamp), so they must be injected. */
  readonly injectsFlagdProperties: boolean;
}

/** What the evaluator needs from the outside world: time, injected so evaluation stays pure. */
export interface EvaluationEnv {
  /** Current time as integer Unix seconds, exposed to rules as `$flagd.timestamp`. */
  readonly nowSeconds: () => number;
}

/** The evaluator's answer: OpenFeature's resolution shape, with metadata on every path. */
export type Resolution<T extends FlagValue> = ResolutionDetails<T> & { readonly flagMetadata: FlagMetadata };

export type { EvaluationContext, FlagMetadata, FlagValue, JsonValue };
