import { describe, expect, it } from 'vitest';
import { semVer } from '../../../../src/flagd/targeting/sem-ver.js';

describe('sem_ver', () => {
  it.each([
    ['2.0.0', '=', '2.0.0', true],
    ['2.1.0', '=', '2.0.0', false],
    ['2.1.0', '!=', '2.0.0', true],
    ['1.9.0', '<', '2.0.0', true],
    ['2.0.0', '<=', '2.0.0', true],
    ['2.1.0', '>', '2.0.0', true],
    ['2.0.0', '>=', '2.0.1', false],
    ['2.0.0-alpha', '<', '2.0.0', true],
    ['3.9.7', '^', '3.0.0', true],
    ['4.0.0', '^', '3.0.0', false],
    ['3.0.9', '~', '3.0.0', true],
    ['3.1.0', '~', '3.0.0', false],
    ['v1.0.0', '=', '1.0.0', true],
    ['V1.0.0', '=', 'v1.0.0', true],
    ['1.0', '^', '1', true],
    ['1.0.0+other', '=', '1.0.0+build', true],
  ])('%s %s %s is %s', (actual, operator, target, expected) => {
    expect(semVer([actual, operator, target])).toBe(expected);
  });

  it.each([
    [1, '^', '1', true],
    [1.2, '>', '1.1', true],
    [1.1, '>', '1.1', false],
    [2, '>', '1.1', true],
  ])('reads the number %s as Go prints it (%s %s)', (actual, operator, target, expected) => {
    expect(semVer([actual, operator, target])).toBe(expected);
  });

  it.each([
    ['an unparseable version', ['not-a-version', '=', '1.0.0']],
    ['a four-part version', ['2.0.0.0', '=', '2.0.0']],
    ['an unparseable target', ['1.0.0', '=', 'x']],
    ['an unknown operator', ['1.0.0', '===', '1.0.0']],
    ['a non-string operator', ['1.0.0', 1, '1.0.0']],
    ['two arguments', ['1.0.0', '=']],
    ['four arguments', ['1.0.0', '=', '1.0.0', 'x']],
    ['no list', '1.0.0'],
    ['a null version (a missing var)', [null, '=', '1.0.0']],
    ['a boolean version', [true, '=', '1.0.0']],
    ['a list version', [['1'], '=', '1.0.0']],
    ['a number of a million or more, which Go prints in exponent form', [1e6, '>', '1.0.0']],
    ['negative zero, which Go prints as "-0"', [-0, '=', '0.0.0']],
    ['a negative number', [-1, '<', '1.0.0']],
  ])('answers null, never false, for %s', (_, args) => {
    expect(semVer(args)).toBeNull();
  });
});
