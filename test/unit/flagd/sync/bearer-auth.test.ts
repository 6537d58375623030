import { Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { createBearerCheck } from '../../../../src/flagd/sync/bearer-auth.js';

function withAuthorization(value?: string): Metadata {
  const metadata = new Metadata();
  if (value !== undefined) metadata.set('authorization', value);
  return metadata;
}

describe('createBearerCheck', () => {
  const check = createBearerCheck('s3cret');

  it('lets the right token through', () => {
    expect(check(withAuthorization('Bearer s3cret'))).toBeUndefined();
  });

  it.each([
    ['missing', undefined, 'Missing bearer token'],
    ['another scheme', 'Basic s3cret', 'Missing bearer token'],
    ['wrong', 'Bearer nope', 'Invalid bearer token'],
    ['a prefix of the token', 'Bearer s3c', 'Invalid bearer token'],
  ])('answers UNAUTHENTICATED for a %s token', (_name, header, details) => {
    expect(check(withAuthorization(header))).toEqual({ code: status.UNAUTHENTICATED, details });
  });
});
