import {
  compareNumerals,
  compareSemanticVersions,
  parseSemanticVersion,
  type SemanticVersion,
} from './semantic-version.js';

export const SEM_VER_RULE = 'sem_ver';

/**
 * flagd's `sem_ver`: `[version, operator, version]` with `=`, `!=`, `<`, `<=`, `>`, `>=`,
 * `^` (same major) or `~` (same major and minor). Versions may carry a `v`/`V` prefix and may
 * be partial (`1`, `1.2`); anything unparseable, an unknown operator or a wrong argument count
 * gives null.
 */
export function semVer(args: unknown): boolean | null {
  if (!Array.isArray(args) || args.length !== 3) return null;
  const actual = versionOf(args[0]);
  const target = versionOf(args[2]);
  const operator: unknown = args[1];
  if (actual === undefined || target === undefined || typeof operator !== 'string') return null;
  return applyOperator(operator, actual, target);
}

function applyOperator(operator: string, actual: SemanticVersion, target: SemanticVersion): boolean | null {
  switch (operator) {
    case '=':
      return compareSemanticVersions(actual, target) === 0;
    case '!=':
      return compareSemanticVersions(actual, target) !== 0;
    case '<':
      return compareSemanticVersions(actual, target) < 0;
    case '<=':
      return compareSemanticVersions(actual, target) <= 0;
    case '>':
      return compareSemanticVersions(actual, target) > 0;
    case '>=':
      return compareSemanticVersions(actual, target) >= 0;
    case '^':
      return compareNumerals(actual.major, target.major) === 0;
    case '~':
      return compareNumerals(actual.major, target.major) === 0 && compareNumerals(actual.minor, target.minor) === 0;
    default:
      return null;
  }
}

/**
 * Reads a version the way flagd does: strings as they are, numbers as Go's `%v` prints them.
 * Go prints a float64 of a million or more in exponent form, and -0 as "-0", neither of which
 * is a version, so those (and every other type) give undefined.
 */
function versionOf(value: unknown): SemanticVersion | undefined {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Math.abs(value) < 1e6 && !Object.is(value, -0)) text = String(value);
  else return undefined;
  const prefixed = text.startsWith('v') ? text : `v${text.startsWith('V') ? text.slice(1) : text}`;
  return parseSemanticVersion(prefixed);
}
