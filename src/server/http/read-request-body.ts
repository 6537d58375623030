import type { IncomingMessage } from 'node:http';
import type { Result } from '../../errors/result.js';

/** A request body read to the end, or refused for its size. */
export type BodyReading = Result<string, 'too-large'>;

/**
 * Reads a request body as UTF-8 text, at most `limitBytes` of it, and calls `done` once with it: a
 * declared `Content-Length` over the limit is refused at once, without reading; a body that grows past it
 * is refused as soon as it does, and the rest is drained unread, so the connection can answer 413 and stay
 * usable. A request aborted before its end never calls `done` (there is no one left to answer).
 *
 * A callback rather than a Promise: this is on the path of every OFREP request, where an answer can then
 * leave in the request's own `end` event instead of a microtask later.
 */
export function readRequestBody(
  request: IncomingMessage,
  limitBytes: number,
  done: (reading: BodyReading) => void,
): void {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    done(TOO_LARGE);
    return;
  }
  // Most bodies arrive in one chunk; more are gathered only when they do not.
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let size = 0;
  let refused = false;
  request.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > limitBytes) {
      refused = true;
      first = undefined;
      more = undefined;
      done(TOO_LARGE);
    } else if (first === undefined) first = chunk;
    else (more ??= [first]).push(chunk);
  });
  request.on('end', () => {
    if (refused) return;
    const text = more !== undefined ? Buffer.concat(more, size).toString('utf8') : (first?.toString('utf8') ?? '');
    done({ ok: true, value: text });
  });
}

const TOO_LARGE: BodyReading = Object.freeze({ ok: false, error: 'too-large' });
