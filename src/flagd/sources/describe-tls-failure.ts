import { isIP } from 'node:net';
import { connect } from 'node:tls';

/**
 * Why a TLS connection to `host:port` fails, in words an operator can act on, or undefined when it
 * does not fail. grpc-js only reports that a channel is in TRANSIENT_FAILURE, which reads as
 * "connection failed" whether the server is down or its certificate is wrong; this repeats the
 * handshake with Node's own TLS (same host name check, same CA) to say which.
 */
export function describeTlsFailure(
  host: string,
  port: number,
  ca: Buffer | undefined,
  timeoutMs: number,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port,
      ...(ca === undefined ? {} : { ca }),
      // SNI takes a name, never an address; the certificate is still checked against `host`.
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ALPNProtocols: ['h2'],
    });
    const finish = (reason: string | undefined): void => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => finish(`no TLS handshake within ${timeoutMs} ms`));
    socket.once('secureConnect', () => finish(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(tlsReason(error, host)));
  });
}

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

function tlsReason(error: NodeJS.ErrnoException, host: string): string {
  const code = error.code ?? 'unknown';
  if (UNTRUSTED.has(code)) return `TLS: the server's certificate is not signed by a trusted CA (${code})`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `TLS: the server's certificate does not name the host ${host} (${code})`;
  if (code === 'CERT_HAS_EXPIRED') return `TLS: the server's certificate has expired (${code})`;
  if (code === 'CERT_NOT_YET_VALID') return `TLS: the server's certificate is not valid yet (${code})`;
  return `${code}: ${error.message}`;
}
