import { didYouMean } from '../errors/did-you-mean.js';
import type { GenesisFlag, GenesisProblem } from './genesis-document.js';

/** The flag a `requires` entry names, and whether that flag must be on (`key`) or off (`!key`). */
export interface ParentRequirement {
  readonly key: string;
  readonly mustBe: 'on' | 'off';
}

export function parseRequirement(entry: string): ParentRequirement {
  return entry.startsWith('!') ? { key: entry.slice(1), mustBe: 'off' } : { key: entry, mustBe: 'on' };
}

export type GenesisFlags = Readonly<Record<string, GenesisFlag>>;

/**
 * The Genesis flags of the other files a document is loaded with (a provider's or server's files, in
 * order): a parent may be in any of them, later files winning per key, as for the flags themselves.
 */
export interface RequiresScope {
  /** The flags of the files before the document, merged. */
  readonly before: GenesisFlags;
  /** The flags of the files after the document, merged; they win over the document's own. */
  readonly after: GenesisFlags;
  /** Every file looked in for a parent, the document's own included, in order (for messages). */
  readonly files: readonly string[];
  /**
   * Some files are not loaded yet: an unknown parent may be in one of them, so it is not an error yet
   * and its children are off until that file is loaded.
   */
  readonly pending: boolean;
}

/** The flags a `requires` entry of the document may name: every file's, later files winning per key. */
export function flagsInScope(own: GenesisFlags, scope: RequiresScope | undefined): GenesisFlags {
  return scope === undefined ? own : { ...scope.before, ...own, ...scope.after };
}

/**
 * Unknown parents and cycles among the document's `requires`, each cycle named as its chain
 * (`a → b → a`). With a scope, a parent may be in another file; a missing one names every file looked in.
 */
export function checkRequires(flags: GenesisFlags, scope?: RequiresScope): GenesisProblem[] {
  const known = flagsInScope(flags, scope);
  const problems: GenesisProblem[] = [];
  for (const [key, flag] of Object.entries(flags)) {
    (flag.requires ?? []).forEach((entry, index) => {
      const parent = parseRequirement(entry).key;
      if (Object.hasOwn(known, parent) || scope?.pending === true) return;
      const lookedIn = scope === undefined ? '' : ` in any of ${scope.files.join(', ')}`;
      const message = `names unknown flag "${parent}"${lookedIn}${didYouMean(parent, Object.keys(known))}`;
      problems.push({ path: ['flags', key, 'requires', index], message });
    });
  }
  return [...problems, ...findCycles(known, Object.keys(flags), flags)];
}

/**
 * Depth-first search from the document's own flags; a parent still on the stack closes a cycle,
 * reported once at the entry that closes it, or at the own flag that leads into it when that entry
 * is in another file.
 */
function findCycles(flags: GenesisFlags, roots: readonly string[], own: GenesisFlags): GenesisProblem[] {
  const problems: GenesisProblem[] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (key: string): void => {
    stack.push(key);
    (flags[key]?.requires ?? []).forEach((entry, index) => {
      const parent = parseRequirement(entry).key;
      if (!Object.hasOwn(flags, parent) || done.has(parent)) return;
      const onStack = stack.indexOf(parent);
      if (onStack >= 0) {
        const chain = [...stack.slice(onStack), parent].join(' → ');
        const path = Object.hasOwn(own, key)
          ? ['flags', key, 'requires', index]
          : ['flags', stack[0] ?? key, 'requires'];
        problems.push({ path, message: `forms a cycle: ${chain}` });
      } else {
        visit(parent);
      }
    });
    stack.pop();
    done.add(key);
  };
  for (const key of roots) {
    if (!done.has(key)) visit(key);
  }
  return problems;
}
