import type { FlagMetadata } from '../flagd/model.js';

/** How a Genesis flag reaches its users once it is enabled. */
export type RolloutStrategy = 'all_at_once' | 'percentage' | 'progressive' | 'canary';

/** The Genesis flag groups: `master` flags are always on, `emergency` flags are kill switches. */
export type GenesisCategory = 'master' | 'orchestration_v2' | 'emergency';

/** Named stepped ramps, counted in days from `start_date`. */
export type RampPreset = 'safe' | 'fast';

/** One step of a stepped ramp: from `at` on, `percentage` of users are on. */
export interface RampStep {
  readonly at: string;
  readonly percentage: number;
}

/**
 * One Genesis flag in its flat form. Files written for the old Python system may carry these fields
 * under `config` or `progressive_config`; `readGenesisDocument` lifts them here.
 */
export interface GenesisFlag {
  readonly enabled: boolean;
  readonly description?: string;
  /** @default 'all_at_once' */
  readonly rollout_strategy?: RolloutStrategy;
  /** 0–100 in steps of 0.01: the share of users on (`percentage`), or of non-canary users (`canary`). */
  readonly rollout_percentage?: number;
  readonly start_date?: string;
  readonly end_date?: string;
  /** Where a linear ramp begins and ends, in percent (the old Python fields). @default 0 and 100 */
  readonly initial_percentage?: number;
  readonly end_percentage?: number;
  readonly steps?: readonly RampStep[] | RampPreset;
  readonly canary_users?: readonly string[];
  readonly canary_regions?: readonly string[];
  /** Parent flags that must be on, or off when written `!key`. */
  readonly requires?: readonly string[];
  readonly category?: GenesisCategory;
  readonly metadata?: FlagMetadata;
}

/** A Genesis flag file after reading: every flag flat. */
export interface GenesisDocument {
  readonly $schema?: string;
  readonly format?: 'genesis';
  readonly version?: string | number;
  readonly metadata?: FlagMetadata;
  readonly flags: Readonly<Record<string, GenesisFlag>>;
}

/** One step of a path into a document: an object key or an array index. */
export type PathSegment = string | number;

/** Something wrong with a Genesis document, located by the path of the offending value. */
export interface GenesisProblem {
  /** Logical location, e.g. `['flags', 'a', 'end_date']`; see `resolveSourcePath` for the place in the file. */
  readonly path: readonly PathSegment[];
  readonly message: string;
}
