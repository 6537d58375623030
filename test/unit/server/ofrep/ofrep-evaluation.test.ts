import { ErrorCode } from '@openfeature/core';
import { describe, expect, it } from 'vitest';
import { toOfrepAnswer } from '../../../../src/server/ofrep/ofrep-evaluation.js';

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
