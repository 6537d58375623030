import { describe, expect, it } from 'vitest';
import { bulkEtag, matchesIfNoneMatch } from '../../../../src/server/ofrep/bulk-etag.js';

const STATIC = { digest: 'flags-v1', timeDependent: false };
const TIMED = { digest: 'flags-v1', timeDependent: true };

describe('bulkEtag', () => {
  it('is a quoted strong tag, the same for the same flags and context', () => {
    const etag = bulkEtag(STATIC, { targetingKey: 'u1' }, 100);
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect(bulkEtag(STATIC, { targetingKey: 'u1' }, 100)).toBe(etag);
  });

  it('changes with the flags and with the context', () => {
    const etag = bulkEtag(STATIC, { targetingKey: 'u1' }, 100);
    expect(bulkEtag({ ...STATIC, digest: 'flags-v2' }, { targetingKey: 'u1' }, 100)).not.toBe(etag);
    expect(bulkEtag(STATIC, { targetingKey: 'u2' }, 100)).not.toBe(etag);
  });

  it('changes with the second only when a rule reads $flagd.timestamp', () => {
    expect(bulkEtag(STATIC, {}, 100)).toBe(bulkEtag(STATIC, {}, 101));
    expect(bulkEtag(TIMED, {}, 100)).not.toBe(bulkEtag(TIMED, {}, 101));
    expect(bulkEtag(TIMED, {}, 100)).toBe(bulkEtag(TIMED, {}, 100));
  });
});

describe('matchesIfNoneMatch', () => {
  it.each([
    [undefined, false],
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['"abcd"', false],
    ['*', false],
    ['abc', false],
  ])('If-None-Match %s matches "abc": %s', (header, expected) => {
    expect(matchesIfNoneMatch(header, '"abc"')).toBe(expected);
  });
});
