import type { IncomingMessage } from 'node:http';
import type { Result } from '../../errors/result.js';

/**
 * Reads a request body as UTF-8 text, or says why it was not read to the end. At most `limitBytes` of
 * it: a declared `Content-Length` over the limit is refused before reading; a body that grows past it is
 * refused as soon as it does, and the rest is drained unread, so the connection can answer 413 and stay
 * usable.
 */
export function readRequestBody(
  request: IncomingMessage,
  limitBytes: number,
): Promise<Result<string, 'too-large' | 'aborted'>> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    return Promise.resolve({ ok: false, error: 'too-large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limitBytes) {
        refused = true;
        chunks.length = 0;
        resolve({ ok: false, error: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!refused) resolve({ ok: true, value: Buffer.concat(chunks, size).toString('utf8') });
    });
    request.on('error', () => resolve({ ok: false, error: 'aborted' }));
    request.on('aborted', () => resolve({ ok: false, error: 'aborted' }));
  });
}
