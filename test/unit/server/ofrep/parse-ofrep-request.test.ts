import { describe, expect, it } from 'vitest';
import { bodyTooLarge, parseOfrepRequest } from '../../../../src/server/ofrep/parse-ofrep-request.js';

describe('parseOfrepRequest', () => {
  it('reads the context object of a JSON body', () => {
    expect(
      parseOfrepRequest('application/json; charset=utf-8', '{"context":{"targetingKey":"u1","plan":"pro"}}'),
    ).toEqual({
      ok: true,
      value: { targetingKey: 'u1', plan: 'pro' },
    });
  });

  it.each([
    ['an empty body', 'application/json', ''],
    ['a blank body without a content type', undefined, '  \n'],
    ['a body without context', 'application/json', '{}'],
  ])('gives an empty context for %s', (_name, type, body) => {
    expect(parseOfrepRequest(type, body)).toEqual({ ok: true, value: {} });
  });

  it('accepts JSON sent without a content type and as a +json media type', () => {
    expect(parseOfrepRequest(undefined, '{"context":{"a":1}}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseOfrepRequest('application/vnd.ofrep+json', '{"context":{"a":1}}')).toEqual({
      ok: true,
      value: { a: 1 },
    });
  });

  it.each([
    ['text/plain', '{"context":{}}', 415, 'GENERAL', 'Content-Type must be application/json, got text/plain'],
    ['application/json', '{"context":', 400, 'INVALID_CONTEXT', 'Request body is not valid JSON: '],
    [
      'application/json',
      '"u1"',
      400,
      'INVALID_CONTEXT',
      'Request body must be a JSON object like {"context": {...}}, got a string',
    ],
    ['application/json', '{"context":[1]}', 400, 'INVALID_CONTEXT', '"context" must be a JSON object, got an array'],
    [
      'application/json',
      '{"context":{"targetingKey":false}}',
      400,
      'INVALID_CONTEXT',
      '"context.targetingKey" must be a string, got a boolean',
    ],
  ])('refuses %s body %s with %i %s', (type, body, status, errorCode, details) => {
    const parsed = parseOfrepRequest(type, body);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.status).toBe(status);
    expect(parsed.error.errorCode).toBe(errorCode);
    expect(parsed.error.errorDetails.startsWith(details)).toBe(true);
  });

  it('keeps a context key named __proto__ an ordinary key', () => {
    const parsed = parseOfrepRequest('application/json', '{"context":{"__proto__":{"admin":true}}}');
    expect(parsed.ok && Object.keys(parsed.value)).toEqual(['__proto__']);
    expect(parsed.ok && (parsed.value as { admin?: boolean }).admin).toBeUndefined();
  });

  it('names the limit when a body is too large', () => {
    expect(bodyTooLarge(2048)).toEqual({
      status: 413,
      errorCode: 'GENERAL',
      errorDetails: 'Request body is larger than the limit of 2048 bytes',
    });
  });
});
