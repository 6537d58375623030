/**
 * A semantic version as golang.org/x/mod/semver (which flagd uses) reads it. Numbers stay
 * decimal strings so versions beyond 2^53 still compare exactly; build metadata is dropped
 * because it never affects ordering.
 */
export interface SemanticVersion {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Dot-separated identifiers after `-`, or '' for a release. */
  readonly prerelease: string;
}

const NUMBER = '(0|[1-9]\\d*)';
const PRERELEASE_ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const BUILD_ID = '[0-9A-Za-z-]+';
// `vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]`: the short forms take neither suffix, as in Go.
const GRAMMAR = new RegExp(
  `^v${NUMBER}(?:\\.${NUMBER}(?:\\.${NUMBER}(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?(?:\\+${BUILD_ID}(?:\\.${BUILD_ID})*)?)?)?$`,
);

/** Parses a `v`-prefixed version; `v1` and `v1.2` mean `v1.0.0` and `v1.2.0`. */
export function parseSemanticVersion(text: string): SemanticVersion | undefined {
  const match = GRAMMAR.exec(text);
  if (match === null) return undefined;
  return { major: match[1] ?? '0', minor: match[2] ?? '0', patch: match[3] ?? '0', prerelease: match[4] ?? '' };
}

/** Orders two versions by semver precedence: -1, 0 or 1. */
export function compareSemanticVersions(a: SemanticVersion, b: SemanticVersion): number {
  return (
    compareNumerals(a.major, b.major) ||
    compareNumerals(a.minor, b.minor) ||
    compareNumerals(a.patch, b.patch) ||
    comparePrereleases(a.prerelease, b.prerelease)
  );
}

/** Compares decimal numerals without leading zeros: the longer is larger, else lexical order. */
export function compareNumerals(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** A release outranks its pre-releases; identifiers compare numerically, then lexically, then by count. */
function comparePrereleases(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = compareIdentifiers(left[i] as string, right[i] as string);
    if (order !== 0) return order;
  }
  return left.length < right.length ? -1 : 1;
}

function compareIdentifiers(a: string, b: string): number {
  if (a === b) return 0;
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  if (aNumeric) return compareNumerals(a, b);
  return a < b ? -1 : 1;
}
