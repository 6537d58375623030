import { describe, expect, it } from 'vitest';
import { endsWith } from '../../../../src/flagd/targeting/ends-with.js';
import { startsWith } from '../../../../src/flagd/targeting/starts-with.js';

describe.each([
  ['starts_with', startsWith, ['abcdef', 'abc'], ['uvwxyz', 'abc']],
  ['ends_with', endsWith, ['uvwxyz', 'xyz'], ['abcdef', 'xyz']],
])('%s', (_, operator, matching, other) => {
  it('is true when the subject has the affix', () => {
    expect(operator(matching)).toBe(true);
  });

  it('is false when it has not', () => {
    expect(operator(other)).toBe(false);
  });

  it('treats the empty affix as always present', () => {
    expect(operator(['anything', ''])).toBe(true);
  });

  it.each([
    ['a number subject', [123, 'abc']],
    ['a number affix', ['abc', 3]],
    ['a null subject (a missing var)', [null, 'abc']],
    ['one argument', ['abc']],
    ['three arguments', ['abc', 'a', 'b']],
    ['no list', 'abc'],
  ])('answers null, never false, for %s', (__, args) => {
    expect(operator(args)).toBeNull();
  });
});
