import type { IncomingMessage } from 'node:http';

/** A request body, or why it was not read to the end. */
export type BodyReading =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: 'too-large' | 'aborted' };

/**
 * Reads a request body as UTF-8 text, at most `limitBytes` of it: a declared `Content-Length` over the
 * limit is refused before reading; a body that grows past it is refused as soon as it does, and the rest
 * is drained unread, so the connection can answer 413 and stay usable.
 */
export function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<BodyReading> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    return Promise.resolve({ ok: false, reason: 'too-large' });
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
        resolve({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!refused) resolve({ ok: true, text: Buffer.concat(chunks, size).toString('utf8') });
    });
    request.on('error', () => resolve({ ok: false, reason: 'aborted' }));
    request.on('aborted', () => resolve({ ok: false, reason: 'aborted' }));
  });
}
