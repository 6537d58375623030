import { didYouMean } from '../flagd/did-you-mean.js';
import type { GenesisFlag, GenesisProblem } from './genesis-document.js';

/** The flag a `requires` entry names, and whether that flag must be on (`key`) or off (`!key`). */
export interface ParentRequirement {
  readonly key: string;
  readonly mustBe: 'on' | 'off';
}

export function parseRequirement(entry: string): ParentRequirement {
  return entry.startsWith('!') ? { key: entry.slice(1), mustBe: 'off' } : { key: entry, mustBe: 'on' };
}

type Flags = Readonly<Record<string, GenesisFlag>>;

/** Unknown parents and cycles among `requires`, each cycle named as its chain (`a → b → a`). */
export function checkRequires(flags: Flags): GenesisProblem[] {
  const problems: GenesisProblem[] = [];
  for (const [key, flag] of Object.entries(flags)) {
    (flag.requires ?? []).forEach((entry, index) => {
      const parent = parseRequirement(entry).key;
      if (!Object.hasOwn(flags, parent)) {
        const message = `names unknown flag "${parent}"${didYouMean(parent, Object.keys(flags))}`;
        problems.push({ path: ['flags', key, 'requires', index], message });
      }
    });
  }
  return [...problems, ...findCycles(flags)];
}

/** Depth-first search; a parent still on the stack closes a cycle, reported once at the entry that closes it. */
function findCycles(flags: Flags): GenesisProblem[] {
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
        problems.push({ path: ['flags', key, 'requires', index], message: `forms a cycle: ${chain}` });
      } else {
        visit(parent);
      }
    });
    stack.pop();
    done.add(key);
  };
  for (const key of Object.keys(flags)) {
    if (!done.has(key)) visit(key);
  }
  return problems;
}
