import type { FlagSource, SourceListener } from '../sources/flag-source.js';

/** How the provider gets its flags in one mode: the origins it layers, and how to build their sources. */
export interface SourcePlan {
  /** Origin names in layer order; a later origin wins per flag key. */
  readonly origins: readonly string[];
  /** One source per origin, each reporting to the listener the provider keeps for that origin. */
  create(listenerFor: (origin: string) => SourceListener): FlagSource[];
}
