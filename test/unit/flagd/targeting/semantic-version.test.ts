import { describe, expect, it } from 'vitest';
import { compareSemanticVersions, parseSemanticVersion } from '../../../../src/flagd/targeting/semantic-version.js';

function compare(a: string, b: string): number {
  const left = parseSemanticVersion(a);
  const right = parseSemanticVersion(b);
  if (left === undefined || right === undefined) throw new Error(`not a version: ${a} or ${b}`);
  return compareSemanticVersions(left, right);
}

describe('parseSemanticVersion', () => {
  it.each([
    ['v1.2.3', { major: '1', minor: '2', patch: '3', prerelease: '' }],
    ['v1.2', { major: '1', minor: '2', patch: '0', prerelease: '' }],
    ['v1', { major: '1', minor: '0', patch: '0', prerelease: '' }],
    ['v1.0.0-alpha.1', { major: '1', minor: '0', patch: '0', prerelease: 'alpha.1' }],
    ['v1.0.0+build.5', { major: '1', minor: '0', patch: '0', prerelease: '' }],
    ['v1.0.0-rc.1+build', { major: '1', minor: '0', patch: '0', prerelease: 'rc.1' }],
    ['v0.0.0-0a', { major: '0', minor: '0', patch: '0', prerelease: '0a' }],
    ['v99999999999999999999.0.0', { major: '99999999999999999999', minor: '0', patch: '0', prerelease: '' }],
  ])('reads %s', (text, expected) => {
    expect(parseSemanticVersion(text)).toEqual(expected);
  });

  // golang.org/x/mod/semver's grammar: short forms take no suffix, no leading zeros, non-empty identifiers.
  it.each([
    '1.2.3',
    'V1.2.3',
    'v',
    'v1.',
    'v1.2.',
    'v01.2.3',
    'v1.02.3',
    'v1.2.03',
    'v1.2.3.4',
    'v1-alpha',
    'v1.2-alpha',
    'v1.2+build',
    'v1.2.3-',
    'v1.2.3-01',
    'v1.2.3-a..b',
    'v1.2.3+',
    'v1.2.3+a..b',
    'v1.2.3-a_b',
    'v1.2.3 ',
    ' v1.2.3',
    'vv1.2.3',
  ])('rejects %j', (text) => {
    expect(parseSemanticVersion(text)).toBeUndefined();
  });
});

describe('compareSemanticVersions', () => {
  it.each([
    ['v1.0.0', 'v2.0.0', -1],
    ['v2.0.0', 'v1.9.9', 1],
    ['v1.10.0', 'v1.9.0', 1],
    ['v1.2', 'v1.2.0', 0],
    ['v1', 'v1.0.0', 0],
    ['v1.0.0+a', 'v1.0.0+b', 0],
    ['v1.0.0-alpha', 'v1.0.0', -1],
    ['v1.0.0-alpha', 'v1.0.0-alpha.1', -1],
    ['v1.0.0-alpha.1', 'v1.0.0-alpha.beta', -1],
    ['v1.0.0-alpha.beta', 'v1.0.0-beta', -1],
    ['v1.0.0-beta.2', 'v1.0.0-beta.11', -1],
    ['v1.0.0-beta.11', 'v1.0.0-rc.1', -1],
    ['v1.0.0-rc.1', 'v1.0.0', -1],
    ['v99999999999999999999.0.0', 'v99999999999999999998.0.0', 1],
  ])('orders %s against %s as %i (semver.org precedence)', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
    expect(compare(b, a)).toBe(-expected || 0);
  });
});
