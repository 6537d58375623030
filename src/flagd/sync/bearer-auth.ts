import { createHash, timingSafeEqual } from 'node:crypto';
import { status, type Metadata } from '@grpc/grpc-js';
import type { SyncStatusError } from './sync-stream.js';

/**
 * Checks `authorization: Bearer <token>` on a call. Digests are compared, not the strings, so the
 * comparison takes the same time whatever the length or content of the presented token.
 */
export function createBearerCheck(token: string): (metadata: Metadata) => SyncStatusError | undefined {
  const expected = digest(token);
  return (metadata) => {
    const header = metadata.get('authorization')[0];
    const value = typeof header === 'string' ? header : header?.toString('utf8');
    const match = value === undefined ? null : /^Bearer (.+)$/i.exec(value.trim());
    if (match?.[1] === undefined) return { code: status.UNAUTHENTICATED, details: 'Missing bearer token' };
    if (!timingSafeEqual(digest(match[1]), expected))
      return { code: status.UNAUTHENTICATED, details: 'Invalid bearer token' };
    return undefined;
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
