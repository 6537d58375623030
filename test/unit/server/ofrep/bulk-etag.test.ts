import { describe, expect, it } from 'vitest';
import { BulkEtagMemo } from '../../../../src/server/ofrep/bulk-etag-memo.js';
import { bulkEtag, matchesIfNoneMatch } from '../../../../src/server/ofrep/bulk-etag.js';
import type { SelectionDigest } from '../../../../src/server/ofrep/selection-digests.js';

function selection(digest: string, timeDependent: boolean): SelectionDigest {
  return { digest, timeDependent, etags: new BulkEtagMemo() };
}

const STATIC = selection('flags-v1', false);
const TIMED = selection('flags-v1', true);

describe('bulkEtag', () => {
  it('is a quoted strong tag, the same for the same flags and context', () => {
    const etag = bulkEtag(STATIC, { targetingKey: 'u1' }, 100);
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect(bulkEtag(STATIC, { targetingKey: 'u1' }, 100)).toBe(etag);
  });

  it('changes with the flags and with the context', () => {
    const etag = bulkEtag(STATIC, { targetingKey: 'u1' }, 100);
    expect(bulkEtag(selection('flags-v2', false), { targetingKey: 'u1' }, 100)).not.toBe(etag);
    expect(bulkEtag(STATIC, { targetingKey: 'u2' }, 100)).not.toBe(etag);
  });

  it('changes with the second only when a rule reads $flagd.timestamp', () => {
    expect(bulkEtag(STATIC, {}, 100)).toBe(bulkEtag(STATIC, {}, 101));
    expect(bulkEtag(TIMED, {}, 100)).not.toBe(bulkEtag(TIMED, {}, 101));
    expect(bulkEtag(TIMED, {}, 100)).toBe(bulkEtag(TIMED, {}, 100));
  });

  it('is the SHA-256 of digest and context, the same whether computed or remembered', () => {
    const fresh = selection('flags-v1', false);
    const expected = '"LVOpYlDC7TXnLXimeENe91S53QBEgDRr"';
    expect(bulkEtag(fresh, { targetingKey: 'u1' }, 100)).toBe(expected);
    expect(fresh.etags.size).toBe(1);
    expect(bulkEtag(fresh, { targetingKey: 'u1' }, 200)).toBe(expected);
    expect(bulkEtag(selection('flags-v1', false), { targetingKey: 'u1' }, 100)).toBe(expected);
  });

  it('does not remember contexts that depend on the second, or very long ones', () => {
    const timed = selection('flags-v1', true);
    bulkEtag(timed, { targetingKey: 'u1' }, 100);
    const untimed = selection('flags-v1', false);
    bulkEtag(untimed, { targetingKey: 'u'.repeat(5_000) }, 100);
    expect([timed.etags.size, untimed.etags.size]).toEqual([0, 0]);
  });
});

describe('BulkEtagMemo', () => {
  it('starts again empty once it holds a mebibyte of context JSON', () => {
    const memo = new BulkEtagMemo();
    const context = 'x'.repeat(4_000);
    for (let index = 0; index < 262; index++) memo.remember(`${index}${context}`.slice(0, 4_000), `"${index}"`);
    expect(memo.size).toBe(262);
    memo.remember(`262${context}`.slice(0, 4_000), '"262"');
    expect([memo.size, memo.get(`262${context}`.slice(0, 4_000))]).toEqual([1, '"262"']);
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
