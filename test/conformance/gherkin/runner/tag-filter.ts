/**
 * Which scenarios of a suite run. Exclusions carry their reason so that every scenario left out shows up
 * as a skipped test saying why, rather than silently disappearing.
 */
export interface TagFilter {
  /** When given, a scenario runs only if it carries at least one of these tags (e.g. `@file`). */
  readonly anyOf?: readonly string[];
  /** The reason given for a scenario that carries none of `anyOf`. */
  readonly anyOfReason?: string;
  /** Tags that keep a scenario out, each mapped to the reason. */
  readonly excluded: Readonly<Record<string, string>>;
}

export type Selection = { readonly run: true } | { readonly run: false; readonly reason: string };

export function selectScenario(tags: readonly string[], filter: TagFilter): Selection {
  const { anyOf } = filter;
  if (anyOf !== undefined && !anyOf.some((tag) => tags.includes(tag))) {
    return { run: false, reason: filter.anyOfReason ?? `carries none of ${anyOf.join(', ')}` };
  }
  const excludedBy = tags.find((tag) => Object.hasOwn(filter.excluded, tag));
  if (excludedBy !== undefined) {
    return { run: false, reason: `${excludedBy}: ${filter.excluded[excludedBy]}` };
  }
  return { run: true };
}
