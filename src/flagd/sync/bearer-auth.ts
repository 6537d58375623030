import { createHash, timingSafeEqual } from 'node:crypto';
import { status, type Metadata } from '@grpc/grpc-js';
import type { SyncStatusError } from './sync-stream.js';

/**
 * Checks an `authorization` header value against `Bearer <token>`; returns why it fails, or undefined.
 * Digests are compared, not the strings, so the comparison takes the same time whatever the length or
 * content of the presented token.
 */
export function createAuthorizationCheck(token: string): (authorization: string | undefined) => string | undefined {
  const expected = digest(token);
  return (authorization) => {
    const match = authorization === undefined ? null : /^Bearer (.+)$/i.exec(authorization.trim());
    if (match?.[1] === undefined) return 'Missing bearer token';
    if (!timingSafeEqual(digest(match[1]), expected)) return 'Invalid bearer token';
    return undefined;
  };
}

/** The check on a gRPC call's metadata, failing with UNAUTHENTICATED. */
export function createBearerCheck(token: string): (metadata: Metadata) => SyncStatusError | undefined {
  const check = createAuthorizationCheck(token);
  return (metadata) => {
    const header = metadata.get('authorization')[0];
    const failure = check(typeof header === 'string' ? header : header?.toString('utf8'));
    return failure === undefined ? undefined : { code: status.UNAUTHENTICATED, details: failure };
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
