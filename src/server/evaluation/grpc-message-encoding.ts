import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';

type NodeResponse = ServerResponse | Http2ServerResponse;
type Headers = Record<string, string | string[] | number | undefined>;

/**
 * Makes the response's `grpc-message` percent-encoded as the gRPC spec says: only bytes outside
 * printable ASCII, and `%`. connect-es encodes it with encodeURIComponent, which also encodes `:` and
 * `,`; grpc-js clients decode it with decodeURI, which leaves those as `%3A` and `%2C`, so every flagd
 * provider would show "Flag not found%3A x". The spec's encoding decodes the same with both.
 */
export function encodeGrpcMessagesPerSpec(response: NodeResponse): void {
  const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => NodeResponse;
  (response as { writeHead: unknown }).writeHead = (...args: unknown[]): NodeResponse =>
    writeHead(...args.map((arg) => (typeof arg === 'object' && arg !== null ? reencoded(arg as Headers) : arg)));
  const addTrailers = response.addTrailers.bind(response) as (headers: Headers) => void;
  (response as { addTrailers: unknown }).addTrailers = (headers: Headers): void => addTrailers(reencoded(headers));
}

function reencoded(headers: Headers): Headers {
  const message = headers['grpc-message'];
  if (typeof message !== 'string') return headers;
  return { ...headers, 'grpc-message': encodeGrpcMessage(decodeOrKeep(message)) };
}

function decodeOrKeep(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** gRPC's Percent-Encoded: printable ASCII other than `%` as is, every other UTF-8 byte as `%XX`. */
export function encodeGrpcMessage(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    encoded +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}
