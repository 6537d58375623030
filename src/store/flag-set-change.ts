import { canonicalJson } from '../flagd/fingerprint-flag.js';
import type { FlagDefinition, FlagSetDocument } from '../flagd/model.js';

/** What one write does to a flag set: the change log carries this, not the whole document. */
export interface FlagSetChange {
  /** Flags added or changed, in full. */
  readonly changed: Readonly<Record<string, FlagDefinition>>;
  readonly removed: readonly string[];
  /** The set's metadata after the write (small, so always carried whole); undefined when it has none. */
  readonly metadata: FlagSetDocument['metadata'];
}

/** The keys a write adds, changes and removes, sorted: what `push --dry-run` prints. */
export interface ChangeSummary {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly metadataChanged: boolean;
}

const EMPTY: FlagSetDocument = { flags: {} };

/**
 * The document in the store's one form: flags sorted by key, and only `flags` and `metadata` (a
 * pushed document has its `$ref`s resolved). Two replicas that reached a revision by different paths
 * (a snapshot, or changes applied in order) hold the same text.
 */
export function canonicalFlagSet(document: FlagSetDocument): FlagSetDocument {
  const keys = Object.keys(document.flags).sort();
  // Object.fromEntries defines properties, so a `__proto__` flag key stays a plain key.
  const flags = Object.fromEntries(keys.map((key) => [key, document.flags[key] as FlagDefinition]));
  return document.metadata === undefined ? { flags } : { flags, metadata: document.metadata };
}

/** The change from `before` (undefined: never written) to `after`, and its summary by key. */
export function diffFlagSets(
  before: FlagSetDocument | undefined,
  after: FlagSetDocument,
): { readonly change: FlagSetChange; readonly summary: ChangeSummary } {
  const old = before ?? EMPTY;
  const has = (document: FlagSetDocument, key: string): boolean => Object.hasOwn(document.flags, key);
  const afterKeys = Object.keys(after.flags).sort();
  const added = afterKeys.filter((key) => !has(old, key));
  const changed = afterKeys.filter(
    (key) => has(old, key) && canonicalJson(old.flags[key]) !== canonicalJson(after.flags[key]),
  );
  const removed = Object.keys(old.flags)
    .filter((key) => !has(after, key))
    .sort();
  const changedFlags = Object.fromEntries([...added, ...changed].map((key) => [key, after.flags[key]]));
  return {
    change: { changed: changedFlags as Record<string, FlagDefinition>, removed, metadata: after.metadata },
    summary: {
      added,
      changed,
      removed,
      metadataChanged: canonicalJson(old.metadata ?? null) !== canonicalJson(after.metadata ?? null),
    },
  };
}

/** Whether a summary changes nothing. */
export function isEmptyChange(summary: ChangeSummary): boolean {
  return (
    summary.added.length === 0 &&
    summary.changed.length === 0 &&
    summary.removed.length === 0 &&
    !summary.metadataChanged
  );
}

/** `before` with `change` applied, in canonical form. */
export function applyFlagSetChange(before: FlagSetDocument | undefined, change: FlagSetChange): FlagSetDocument {
  const replaced = new Set([...change.removed, ...Object.keys(change.changed)]);
  const kept = Object.entries((before ?? EMPTY).flags).filter(([key]) => !replaced.has(key));
  const flags = Object.fromEntries([...kept, ...Object.entries(change.changed)]);
  return canonicalFlagSet(change.metadata === undefined ? { flags } : { flags, metadata: change.metadata });
}
