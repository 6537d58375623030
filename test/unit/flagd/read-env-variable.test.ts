import { describe, expect, it } from 'vitest';
import { parseBooleanWord, parseWholeNumber, readEnvVariable } from '../../../src/flagd/read-env-variable.js';

describe('readEnvVariable', () => {
  it('treats an unset or empty variable as absent, without a warning', () => {
    const warnings: string[] = [];
    expect(readEnvVariable({}, 'FLAGD_PORT', parseWholeNumber, 'a port', warnings)).toBeUndefined();
    expect(readEnvVariable({ FLAGD_PORT: '' }, 'FLAGD_PORT', parseWholeNumber, 'a port', warnings)).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('warns by name about a value it cannot read, and ignores it', () => {
    const warnings: string[] = [];
    expect(
      readEnvVariable({ FLAGD_PORT: 'eighty' }, 'FLAGD_PORT', parseWholeNumber, 'a port', warnings),
    ).toBeUndefined();
    expect(warnings).toEqual(['Ignoring FLAGD_PORT="eighty": expected a port']);
  });

  it('returns the parsed value', () => {
    expect(readEnvVariable({ FLAGD_TLS: 'TRUE' }, 'FLAGD_TLS', parseBooleanWord, 'true or false', [])).toBe(true);
  });
});

describe('parseBooleanWord', () => {
  it.each([
    ['true', true],
    [' False ', false],
    ['yes', undefined],
    ['1', undefined],
  ])('reads %j as %j', (text, expected) => {
    expect(parseBooleanWord(text)).toBe(expected);
  });
});

describe('parseWholeNumber', () => {
  it.each([
    ['8015', 8015],
    [' 0 ', 0],
    ['-1', undefined],
    ['1.5', undefined],
    ['1e3', undefined],
  ])('reads %j as %j', (text, expected) => {
    expect(parseWholeNumber(text)).toBe(expected);
  });
});
