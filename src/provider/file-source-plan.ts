import type { FlagSource, SourceListener } from '../sources/flag-source.js';
import type { SourcePlan } from './source-plan.js';

/** How the provider builds a source for one file; replaceable so the adapter can be tested alone. */
export type CreateFileSource = (path: string, debounceMs: number, listener: SourceListener) => FlagSource;

/** One watched source per file, each file its own origin, in the order given. */
export function planFileSources(
  paths: readonly string[],
  debounceMs: number,
  createFileSource: CreateFileSource,
): SourcePlan {
  return {
    origins: paths,
    create: (listenerFor) => paths.map((path) => createFileSource(path, debounceMs, listenerFor(path))),
  };
}
