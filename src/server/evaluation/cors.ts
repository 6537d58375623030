import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { cors as connectCors } from '@connectrpc/connect';

/** How long a browser may cache a preflight answer, in seconds (flagd's CORS library default is 0; 2 h saves a round trip per call). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

/**
 * CORS as flagd answers it: origins from `--cors-origin` (`*` for any), every request header allowed,
 * the protocol's status and encoding headers exposed. Returns true when it answered the request itself
 * (a preflight); otherwise it has added the headers the actual response needs.
 */
export function applyCors(
  request: IncomingMessage | Http2ServerRequest,
  response: ServerResponse | Http2ServerResponse,
  allowedOrigins: readonly string[],
  exposedHeaders: readonly string[] = connectCors.exposedHeaders,
): boolean {
  const origin = request.headers.origin;
  const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
  const anyOrigin = allowedOrigins.includes('*');
  const allowed = origin !== undefined && (anyOrigin || allowedOrigins.includes(origin));
  if (allowed) {
    response.setHeader('access-control-allow-origin', anyOrigin ? '*' : origin);
    if (!anyOrigin) response.setHeader('vary', 'Origin');
  }
  if (!preflight) {
    if (allowed) response.setHeader('access-control-expose-headers', exposedHeaders.join(', '));
    return false;
  }
  if (allowed) {
    response.setHeader('access-control-allow-methods', connectCors.allowedMethods.join(', '));
    response.setHeader(
      'access-control-allow-headers',
      request.headers['access-control-request-headers'] ?? connectCors.allowedHeaders.join(', '),
    );
    response.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
  }
  // A refused origin gets the preflight answered without CORS headers, which the browser reads as a refusal.
  response.writeHead(204);
  response.end();
  return true;
}
