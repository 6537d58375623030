import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Result } from '../../errors/result.js';
import { readTlsKeyPair, type TlsPaths } from '../../flagd/sync/read-tls-key-pair.js';
import { listenHttp } from '../http/listen-http.js';
import type { OfrepHandler } from './ofrep-handler.js';

export interface OfrepServerOptions {
  readonly host: string;
  /** 0 picks a free port; the bound one is on the result. */
  readonly port: number;
  /** PEM files; with them the port speaks HTTPS (the sync port's certificate). */
  readonly tls?: TlsPaths;
  readonly handler: OfrepHandler;
  /** How long close() lets requests in flight finish before cutting their connections. @default 5000 */
  readonly shutdownGraceMs?: number;
}

export interface RunningOfrepServer {
  readonly port: number;
  /** Stops listening, lets requests in flight finish (up to the grace period), closes idle keep-alive connections. */
  close(): Promise<void>;
}

/** Listens for OFREP on HTTP or HTTPS; the protocol itself is the handler's. */
export async function startOfrepServer(options: OfrepServerOptions): Promise<Result<RunningOfrepServer, Error>> {
  const listener = (request: IncomingMessage, response: ServerResponse): void =>
    options.handler.handle(request, response);
  const timeouts = { headersTimeout: 10_000, requestTimeout: 30_000 };
  let server;
  if (options.tls === undefined) {
    server = createHttpServer(timeouts, listener);
  } else {
    const pem = await readTlsKeyPair(options.tls);
    if (!pem.ok) return pem;
    try {
      server = createHttpsServer({ ...timeouts, ...pem.value }, listener);
    } catch (cause) {
      const { certPath, keyPath } = options.tls;
      return { ok: false, error: new Error(`Invalid TLS certificate or key: ${certPath}, ${keyPath}`, { cause }) };
    }
  }
  const listening = await listenHttp(server, options.host, options.port);
  if (!listening.ok) return listening;
  const graceMs = options.shutdownGraceMs ?? 5_000;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise((resolve) => {
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      server.close(() => {
        clearTimeout(cut);
        resolve();
      });
      server.closeIdleConnections();
    }));
  return { ok: true, value: { port: listening.value, close } };
}
