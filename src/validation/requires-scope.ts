import type { GenesisFlags, RequiresScope } from '../genesis/check-requires.js';
import type { GenesisFlag } from '../genesis/genesis-document.js';
import type { ParsedFlagFile } from './parsed-flag-file.js';

/**
 * Where the `requires` of `files[index]` look for parents when the files are checked together, as a
 * provider given the same files loads them: every other Genesis file's flags, later files winning per key.
 * Undefined for a lone file. Only what `requires` needs is read from the others (each flag's `requires`
 * entries that are strings): their own problems are reported against them.
 */
export function requiresScopeAmong(files: readonly ParsedFlagFile[], index: number): RequiresScope | undefined {
  if (files.length < 2) return undefined;
  const genesis = files.map((file) => (file.format === 'genesis' ? parentFlagsOf(file.raw) : undefined));
  const merged = (range: readonly (GenesisFlags | undefined)[]): GenesisFlags =>
    // fromEntries, not assignment: later files win, and a flag named "__proto__" stays a flag.
    Object.fromEntries(range.flatMap((flags) => Object.entries(flags ?? {})));
  return {
    before: merged(genesis.slice(0, index)),
    after: merged(genesis.slice(index + 1)),
    files: files.filter((file, at) => at === index || genesis[at] !== undefined).map((file) => file.path),
    pending: false,
  };
}

function parentFlagsOf(raw: unknown): GenesisFlags {
  const flags = isRecord(raw) ? raw['flags'] : undefined;
  if (!isRecord(flags)) return {};
  return Object.fromEntries(
    Object.entries(flags).map(([key, flag]): [string, GenesisFlag] => {
      const requires = isRecord(flag) && Array.isArray(flag['requires']) ? flag['requires'] : [];
      // `enabled` is a placeholder: checking `requires` reads only the keys and their `requires`.
      return [key, { enabled: true, requires: requires.filter((entry) => typeof entry === 'string') }];
    }),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
