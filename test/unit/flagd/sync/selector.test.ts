import { describe, expect, it } from 'vitest';
import { parseSelector, selectorExpression, selectorKey } from '../../../../src/flagd/sync/selector.js';

describe('parseSelector', () => {
  it.each([
    ['', { kind: 'all' }],
    ['source=flags/a.json', { kind: 'source', source: 'flags/a.json' }],
    ['flags/a.json', { kind: 'source', source: 'flags/a.json' }],
    ['flagSetId=payments', { kind: 'flagSetId', flagSetId: 'payments' }],
    ['flagSetId=', { kind: 'flagSetId', flagSetId: undefined }],
    ['source=a=b', { kind: 'source', source: 'a=b' }],
  ])('reads %j as flagd does', (expression, expected) => {
    expect(parseSelector(expression)).toEqual({ ok: true, value: expected });
  });

  it('rejects an unknown key and names the valid ones', () => {
    const outcome = parseSelector('app=weather');
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toMatch(/"app".*"flagSetId", "source"/);
  });

  it('treats keys case-sensitively, as flagd does', () => {
    expect(parseSelector('Source=a.json').ok).toBe(false);
  });
});

describe('selectorExpression', () => {
  it('prefers the header over the request field', () => {
    expect(selectorExpression(['flagSetId=x'], 'source=y')).toBe('flagSetId=x');
  });

  it('falls back to the request field without a header', () => {
    expect(selectorExpression([], 'source=y')).toBe('source=y');
  });

  it('decodes a binary header value as UTF-8', () => {
    expect(selectorExpression([Buffer.from('source=é.json')], '')).toBe('source=é.json');
  });
});

describe('selectorKey', () => {
  it('tells an empty flag set id apart from a set named like a source', () => {
    expect(selectorKey({ kind: 'flagSetId', flagSetId: undefined })).not.toBe(
      selectorKey({ kind: 'flagSetId', flagSetId: '' }),
    );
    expect(selectorKey({ kind: 'source', source: 'x' })).not.toBe(selectorKey({ kind: 'flagSetId', flagSetId: 'x' }));
  });
});
