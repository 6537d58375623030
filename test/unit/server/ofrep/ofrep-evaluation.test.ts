import { ErrorCode } from '@openfeature/core';
import { describe, expect, it } from 'vitest';
import { toOfrepAnswer, toOfrepAnswerJson } from '../../../../src/server/ofrep/ofrep-evaluation.js';

const META = Object.freeze({ team: 'shop' });

describe('toOfrepAnswer', () => {
  it('answers a resolved variant with value, reason, variant and metadata', () => {
    expect(toOfrepAnswer('f', { value: 3, variant: 'three', reason: 'TARGETING_MATCH', flagMetadata: META })).toEqual({
      status: 200,
      body: { key: 'f', value: 3, reason: 'TARGETING_MATCH', variant: 'three', metadata: { team: 'shop' } },
    });
  });

  it.each(['DISABLED', 'DEFAULT'])('leaves value and variant out of a %s answer without a variant', (reason) => {
    expect(toOfrepAnswer('f', { value: null, reason, flagMetadata: META })).toEqual({
      status: 200,
      body: { key: 'f', reason, metadata: { team: 'shop' } },
    });
  });

  it.each([
    [ErrorCode.FLAG_NOT_FOUND, 404],
    [ErrorCode.PARSE_ERROR, 400],
    [ErrorCode.GENERAL, 400],
  ])('answers %s with %i and the message', (errorCode, status) => {
    const answer = toOfrepAnswer('f', {
      value: null,
      reason: 'ERROR',
      errorCode,
      errorMessage: 'why',
      flagMetadata: META,
    });
    expect(answer).toEqual({ status, body: { key: 'f', errorCode, errorDetails: 'why', metadata: { team: 'shop' } } });
  });
});

describe('toOfrepAnswerJson', () => {
  it('is the JSON of the answer, with its status and its length in UTF-8 bytes', () => {
    const resolution = { value: 'grün', variant: 'g', reason: 'STATIC', flagMetadata: META };
    const json = '{"key":"f","value":"grün","reason":"STATIC","variant":"g","metadata":{"team":"shop"}}';
    expect(toOfrepAnswerJson('f', resolution)).toEqual({ key: 'f', status: 200, json, bytes: json.length + 1 });
    const missing = {
      value: null,
      reason: 'ERROR',
      errorCode: ErrorCode.FLAG_NOT_FOUND,
      errorMessage: 'no',
      flagMetadata: {},
    };
    expect(toOfrepAnswerJson('x', missing)).toMatchObject({
      status: 404,
      json: '{"key":"x","errorCode":"FLAG_NOT_FOUND","errorDetails":"no","metadata":{}}',
    });
  });

  it('makes the text of a compiled (frozen) answer once, for its own key', () => {
    const compiled = Object.freeze({ value: true, variant: 'on', reason: 'TARGETING_MATCH', flagMetadata: META });
    const first = toOfrepAnswerJson('f', compiled);
    expect(toOfrepAnswerJson('f', compiled)).toBe(first);
    const otherKey = toOfrepAnswerJson('g', compiled);
    expect(otherKey.json).toBe(
      '{"key":"g","value":true,"reason":"TARGETING_MATCH","variant":"on","metadata":{"team":"shop"}}',
    );
  });

  it('makes the text of an answer built per evaluation every time', () => {
    const perCall = { value: true, variant: 'on', reason: 'TARGETING_MATCH', flagMetadata: META };
    expect(toOfrepAnswerJson('f', perCall)).not.toBe(toOfrepAnswerJson('f', perCall));
  });
});
