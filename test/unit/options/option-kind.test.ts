import { describe, expect, it } from 'vitest';
import {
  booleanOption,
  parseDecimalText,
  parseSwitchText,
  portOption,
  secondsAsMsOption,
  wholeNumberOption,
} from '../../../src/options/option-kind.js';

describe('booleanOption', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    [' False\n', false],
    ['1', true],
    ['0', false],
    ['yes', true],
    ['off', false],
    ['maybe', undefined],
    ['', undefined],
  ])('reads the variable text %j as %j, as a flag override reads it', (text, expected) => {
    expect(booleanOption.parse(text)).toBe(expected);
  });

  it('takes only true or false as an option value, naming the switch words for a variable only', () => {
    expect([booleanOption.check(true), booleanOption.check(false), booleanOption.check('off')]).toEqual([
      true,
      false,
      undefined,
    ]);
    expect([booleanOption.expected, booleanOption.expectedText]).toEqual([
      'true or false',
      'a boolean (true/false, 1/0, on/off or yes/no)',
    ]);
  });
});

describe('parseSwitchText', () => {
  it.each([
    ['true', true],
    ['1', true],
    ['On', true],
    [' yes ', true],
    ['false', false],
    ['0', false],
    ['OFF', false],
    ['no', false],
    ['maybe', undefined],
  ])('reads the flag override %j as %j', (text, expected) => {
    expect(parseSwitchText(text)).toBe(expected);
  });
});

describe('parseDecimalText', () => {
  it.each([
    ['8015', 8015],
    [' 0 ', 0],
    ['1.5', 1.5],
    ['-1', undefined],
    ['1e3', undefined],
    ['0x10', undefined],
    ['', undefined],
  ])('reads %j as %j', (text, expected) => {
    expect(parseDecimalText(text)).toBe(expected);
  });
});

describe('option kinds', () => {
  it('check a value and parse a variable against the same rule', () => {
    expect([portOption.check(8015), portOption.parse('8015')]).toEqual([8015, 8015]);
    expect([portOption.check(0), portOption.parse('0')]).toEqual([undefined, undefined]);
    expect([portOption.check(65_536), portOption.parse('65536')]).toEqual([undefined, undefined]);
    expect([wholeNumberOption.check(1.5), wholeNumberOption.parse('1.5')]).toEqual([undefined, undefined]);
  });

  it('reads a grace period variable in seconds into milliseconds, as flagd does', () => {
    expect([secondsAsMsOption.parse('7'), secondsAsMsOption.check(7_000)]).toEqual([7_000, 7_000]);
  });
});
