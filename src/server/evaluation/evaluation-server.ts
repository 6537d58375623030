import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Code, ConnectError, type Interceptor } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { ServerCredentials, type ConnectionInjector } from '@grpc/grpc-js';
import type { Result } from '../../errors/result.js';
import { createAuthorizationCheck } from '../../flagd/sync/bearer-auth.js';
import { applyCors } from './cors.js';
import type { EvaluationMetrics } from './evaluation-metrics.js';
import { registerEvaluationRoutes } from './evaluation-routes.js';
import type { EvaluationService } from './evaluation-service.js';
import { createGrpcEvaluationServer } from './grpc-evaluation-service.js';
import { encodeGrpcMessagesPerSpec } from './grpc-message-encoding.js';
import { Http1Connections } from './http1-connections.js';
import { protocolOf, watchOutcome } from './request-outcome.js';

export interface EvaluationServerOptions {
  readonly host: string;
  /** 0 picks a free port; the bound one is on the result. */
  readonly port: number;
  readonly tls?: { readonly certPath: string; readonly keyPath: string };
  /** When set, every call must carry `authorization: Bearer <token>`. */
  readonly token?: string;
  readonly corsOrigins: readonly string[];
  /** Largest request body accepted, in bytes; 0 for no limit. */
  readonly maxRequestBodyBytes: number;
  readonly service: EvaluationService;
  readonly metrics: EvaluationMetrics;
}

export interface RunningEvaluationServer {
  readonly port: number;
  /** Ends every event stream with UNAVAILABLE, then closes every connection and the port. */
  close(): Promise<void>;
}

type NodeHandler = (
  request: IncomingMessage | Http2ServerRequest,
  response: ServerResponse | Http2ServerResponse,
) => void;

/** How long a closing gRPC session may keep calls in flight before it is cut. */
const GRPC_DRAIN_GRACE_MS = 5_000;

/** The first bytes of every HTTP/2 connection (RFC 9113, 3.4), which tell h2c from HTTP/1.1 on one port. */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0');

/**
 * Serves flagd.evaluation.v1 and v2 on one port: gRPC (HTTP/2, which grpc-js and every flagd provider
 * speak), gRPC-Web and Connect (HTTP/1.1 or HTTP/2, JSON or binary, for browsers), with CORS. In
 * plaintext one listener tells HTTP/2 from HTTP/1.1 by the connection preface; with TLS, ALPN does.
 * The protocols themselves are @connectrpc/connect-node's.
 */
export async function startEvaluationServer(
  options: EvaluationServerOptions,
): Promise<Result<RunningEvaluationServer, Error>> {
  const handler = createHandler(options);
  if (options.tls !== undefined) {
    const material = await readTls(options.tls);
    if (!material.ok) return material;
    let server: ReturnType<typeof createSecureServer>;
    try {
      server = createSecureServer({ ...material.value, allowHTTP1: true }, handler);
    } catch (cause) {
      const { certPath, keyPath } = options.tls;
      return { ok: false, error: new Error(`Invalid TLS certificate or key: ${certPath}, ${keyPath}`, { cause }) };
    }
    const sessions = trackSessions(server);
    // Connections that fall back to HTTP/1.1 are node's HTTP/1.1 server's, which this server cannot close.
    const http1Connections = new Http1Connections(server);
    server.on('secureConnection', (socket: TLSSocket) => {
      if (socket.alpnProtocol !== 'h2') http1Connections.add(socket);
    });
    const bound = await listen(server, options);
    if (!bound.ok) return bound;
    return {
      ok: true,
      value: { port: bound.value, close: closer(options, sessions, [server], () => http1Connections.closeAll()) },
    };
  }
  const http1 = createHttpServer(handler);
  const http1Connections = new Http1Connections(http1);
  const grpc = createGrpcEvaluationServer({
    service: options.service,
    metrics: options.metrics,
    maxRequestBodyBytes: options.maxRequestBodyBytes,
    ...(options.token === undefined ? {} : { checkToken: createAuthorizationCheck(options.token) }),
  });
  const http2 = grpc.createConnectionInjector(ServerCredentials.createInsecure());
  const tcp = createTcpServer((socket) => routeConnection(socket, http1, http1Connections, http2));
  const bound = await listen(tcp, options);
  if (!bound.ok) return bound;
  return {
    ok: true,
    value: {
      port: bound.value,
      close: closer(options, new Set(), [tcp], () => {
        http1Connections.closeAll();
        // GOAWAY to every session: calls in flight finish (event streams end with UNAVAILABLE first), then it closes.
        http2.drain(GRPC_DRAIN_GRACE_MS);
      }),
    },
  };
}

function createHandler(options: EvaluationServerOptions): NodeHandler {
  const interceptors: Interceptor[] = options.token === undefined ? [] : [bearerInterceptor(options.token)];
  const adapter = connectNodeAdapter({
    routes: (router) => registerEvaluationRoutes(router, options.service),
    interceptors,
    ...(options.maxRequestBodyBytes > 0 ? { readMaxBytes: options.maxRequestBodyBytes } : {}),
  });
  return (request, response) => {
    if (applyCors(request, response, options.corsOrigins)) return;
    const protocol = protocolOf(request);
    const path = request.url?.split('?')[0] ?? '';
    watchOutcome(response, (code) => options.metrics.requestFinished(protocol, path, code));
    if (refuseContentType(request, response)) return;
    if (protocol !== 'connect') encodeGrpcMessagesPerSpec(response);
    adapter(request, response);
  };
}

/** The request content types the evaluation port reads: Connect (unary and streaming), gRPC, gRPC-Web. */
const ACCEPTED_CONTENT_TYPES = [
  'application/json',
  'application/proto',
  'application/connect+json',
  'application/connect+proto',
  'application/grpc',
  'application/grpc-web',
];
const ACCEPTED_CONTENT_TYPE = /^application\/(json|proto|connect\+(json|proto)|grpc(-web)?(-text)?(\+(proto|json))?)$/;

/**
 * Answers a POST whose content type no protocol here reads with 415, naming what was sent and what is
 * accepted (connect-node answers 415 with an empty body). Returns whether it answered.
 */
function refuseContentType(
  request: IncomingMessage | Http2ServerRequest,
  response: ServerResponse | Http2ServerResponse,
): boolean {
  if (request.method !== 'POST') return false;
  const sent = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (ACCEPTED_CONTENT_TYPE.test(sent)) return false;
  const accepted = ACCEPTED_CONTENT_TYPES.join(', ');
  response.writeHead(415, { 'content-type': 'text/plain; charset=utf-8', 'accept-post': accepted });
  response.end(`Unsupported content type ${JSON.stringify(sent)}: use ${accepted}\n`);
  return true;
}

function bearerInterceptor(token: string): Interceptor {
  const check = createAuthorizationCheck(token);
  return (next) => (request) => {
    const failure = check(request.header.get('authorization') ?? undefined);
    if (failure !== undefined) throw new ConnectError(failure, Code.Unauthenticated);
    return next(request);
  };
}

/**
 * Hands a plaintext connection to the HTTP/2 or the HTTP/1.1 server, by its first bytes. Plaintext
 * HTTP/2 is what gRPC clients open (browsers speak HTTP/1.1 or TLS), so it goes to grpc-js.
 */
function routeConnection(
  socket: Socket,
  http1: ReturnType<typeof createHttpServer>,
  http1Connections: Http1Connections,
  http2: ConnectionInjector,
): void {
  socket.once('error', () => socket.destroy());
  socket.once('data', (chunk: Buffer) => {
    socket.pause();
    socket.unshift(chunk);
    const isHttp2 = chunk.subarray(0, HTTP2_PREFACE.length).equals(HTTP2_PREFACE.subarray(0, chunk.length));
    // The HTTP/2 session reads the buffered bytes itself; the HTTP/1.1 parser needs the stream flowing again.
    if (isHttp2) http2.injectConnection(socket);
    else {
      http1Connections.add(socket);
      http1.emit('connection', socket);
      socket.resume();
    }
  });
}

function trackSessions(server: {
  on(event: 'session', listener: (session: Http2Session) => void): unknown;
}): Set<Http2Session> {
  const sessions = new Set<Http2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  return sessions;
}

function closer(
  options: EvaluationServerOptions,
  sessions: Set<Http2Session>,
  servers: readonly { close(callback: () => void): unknown }[],
  closeOthers: () => void = () => undefined,
): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= (async () => {
      options.service.closeAll();
      const closed = Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
      for (const session of sessions) session.close();
      closeOthers();
      await closed;
    })());
}

async function readTls(tls: {
  certPath: string;
  keyPath: string;
}): Promise<Result<{ cert: Buffer; key: Buffer }, Error>> {
  try {
    return { ok: true, value: { cert: await readFile(tls.certPath), key: await readFile(tls.keyPath) } };
  } catch (cause) {
    const path = (cause as NodeJS.ErrnoException).path ?? `${tls.certPath}, ${tls.keyPath}`;
    return { ok: false, error: new Error(`TLS certificate or key not readable: ${path}`, { cause }) };
  }
}

function listen(
  server: TcpServer,
  options: { readonly host: string; readonly port: number },
): Promise<Result<number, Error>> {
  return new Promise((resolve) => {
    const onError = (error: Error): void =>
      resolve({
        ok: false,
        error: new Error(`Cannot listen on ${options.host}:${options.port}: ${error.message}`, { cause: error }),
      });
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve({ ok: true, value: (server.address() as AddressInfo).port });
    });
  });
}
