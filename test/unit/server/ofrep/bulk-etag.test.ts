import { describe, expect, it } from 'vitest';
import { BulkEtagMemo } from '../../../../src/server/ofrep/bulk-etag-memo.js';
import { bulkEtag, knownBulkEtag, matchesIfNoneMatch } from '../../../../src/server/ofrep/bulk-etag.js';
import type { SelectionDigest } from '../../../../src/server/ofrep/selection-digests.js';

function selection(digest: string, timeDependent: boolean): SelectionDigest {
  return { digest, timeDependent, etags: new BulkEtagMemo() };
}

const STATIC = selection('flags-v1', false);
const TIMED = selection('flags-v1', true);

/** The ETag of a request whose body is `{"context": context}` (its key, with no mapped headers). */
function etagOf(selected: SelectionDigest, context: Record<string, string>, nowSeconds: number): string {
  return bulkEtag(selected, context, nowSeconds, JSON.stringify({ context }));
}

describe('bulkEtag', () => {
  it('is a quoted strong tag, the same for the same flags and context', () => {
    const etag = etagOf(STATIC, { targetingKey: 'u1' }, 100);
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect(etagOf(STATIC, { targetingKey: 'u1' }, 100)).toBe(etag);
  });

  it('changes with the flags and with the context', () => {
    const etag = etagOf(STATIC, { targetingKey: 'u1' }, 100);
    expect(etagOf(selection('flags-v2', false), { targetingKey: 'u1' }, 100)).not.toBe(etag);
    expect(etagOf(STATIC, { targetingKey: 'u2' }, 100)).not.toBe(etag);
  });

  it('changes with the second only when a rule reads $flagd.timestamp', () => {
    expect(etagOf(STATIC, {}, 100)).toBe(etagOf(STATIC, {}, 101));
    expect(etagOf(TIMED, {}, 100)).not.toBe(etagOf(TIMED, {}, 101));
    expect(etagOf(TIMED, {}, 100)).toBe(etagOf(TIMED, {}, 100));
  });

  it('is the SHA-256 of digest and context, the same whether computed or remembered', () => {
    const fresh = selection('flags-v1', false);
    const expected = '"LVOpYlDC7TXnLXimeENe91S53QBEgDRr"';
    expect(etagOf(fresh, { targetingKey: 'u1' }, 100)).toBe(expected);
    expect(fresh.etags.size).toBe(1);
    expect(etagOf(fresh, { targetingKey: 'u1' }, 200)).toBe(expected);
    expect(etagOf(selection('flags-v1', false), { targetingKey: 'u1' }, 100)).toBe(expected);
    // Another body with the same context (spaces) has its own key and the same tag.
    expect(bulkEtag(fresh, { targetingKey: 'u1' }, 100, '{ "context": { "targetingKey": "u1" } }')).toBe(expected);
    expect(fresh.etags.size).toBe(2);
  });

  it('is found by its request key once computed, while it does not depend on the time', () => {
    const untimed = selection('flags-v1', false);
    expect(knownBulkEtag(untimed, 'body-1')).toBeUndefined();
    const etag = bulkEtag(untimed, { targetingKey: 'u1' }, 100, 'body-1');
    expect([knownBulkEtag(untimed, 'body-1'), knownBulkEtag(untimed, 'body-2')]).toEqual([etag, undefined]);
    const timed = selection('flags-v1', true);
    bulkEtag(timed, { targetingKey: 'u1' }, 100, 'body-1');
    expect(knownBulkEtag(timed, 'body-1')).toBeUndefined();
  });

  it('does not remember contexts that depend on the second, or very long requests', () => {
    const timed = selection('flags-v1', true);
    etagOf(timed, { targetingKey: 'u1' }, 100);
    const untimed = selection('flags-v1', false);
    etagOf(untimed, { targetingKey: 'u'.repeat(5_000) }, 100);
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

  it('counts a key remembered again only once', () => {
    const memo = new BulkEtagMemo();
    const key = 'x'.repeat(4_000);
    for (let index = 0; index < 300; index++) memo.remember(key, '"a"');
    memo.remember('y', '"b"');
    expect([memo.size, memo.get(key), memo.get('y')]).toEqual([2, '"a"', '"b"']);
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
