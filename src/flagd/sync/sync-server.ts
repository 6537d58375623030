import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
} from '@grpc/grpc-js';
import type { Result } from '../../errors/result.js';
import { createBearerCheck } from './bearer-auth.js';
import { readTlsKeyPair } from './read-tls-key-pair.js';
import type { FlagSyncHandler } from './flag-sync-handler.js';
import { adaptServerStream, guardStream, guardUnary, replyUnary, type CallGuard } from './grpc-call-adapters.js';
import type { HealthCheckRequest, HealthCheckResponse, HealthService } from './health-service.js';
import { withSharedResponseBytes } from './shared-response-bytes.js';
import type {
  FetchAllFlagsRequest,
  FetchAllFlagsResponse,
  GetMetadataResponse,
  SyncFlagsRequest,
  SyncFlagsResponse,
} from './sync-messages.js';
import { loadSyncProtocol } from './sync-proto.js';

export interface SyncServerOptions {
  readonly host: string;
  /** 0 picks a free port; the bound one is on the result. */
  readonly port: number;
  readonly tls?: { readonly certPath: string; readonly keyPath: string };
  /** When set, every sync call must carry `authorization: Bearer <token>`. */
  readonly token?: string;
  readonly handler: FlagSyncHandler;
  readonly health: HealthService;
  /** How often the server pings an idle connection to find dead subscribers. @default 30000 */
  readonly keepAliveTimeMs?: number;
  /** How long to wait for a ping answer before dropping the connection. @default 10000 */
  readonly keepAliveTimeoutMs?: number;
  /** How long close() waits for calls to finish before cutting connections. @default 5000 */
  readonly shutdownGraceMs?: number;
}

export interface RunningSyncServer {
  readonly port: number;
  /** Ends every stream with UNAVAILABLE, then stops listening; resolves when all connections are gone. */
  close(): Promise<void>;
}

/** Listens for flagd.sync.v1 and grpc.health.v1 calls; the protocol itself is the handler's. */
export async function startSyncServer(options: SyncServerOptions): Promise<Result<RunningSyncServer, Error>> {
  const credentials = await serverCredentials(options.tls);
  if (!credentials.ok) return credentials;
  // grpc-js servers do not police client ping rates, so providers may use any keepalive interval
  // (flagd's Go server needs keep-alive-min-time for that); these settings only make the server
  // probe quiet connections itself.
  const server = new Server({
    'grpc.keepalive_time_ms': options.keepAliveTimeMs ?? 30_000,
    'grpc.keepalive_timeout_ms': options.keepAliveTimeoutMs ?? 10_000,
  });
  registerServices(server, options);
  const bound = await bind(server, listenAddress(options.host, options.port), credentials.value);
  if (!bound.ok) return bound;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= shutdown(server, options));
  return { ok: true, value: { port: bound.value, close } };
}

function registerServices(server: Server, options: SyncServerOptions): void {
  const { syncService, healthService } = loadSyncProtocol();
  const guard: CallGuard = options.token === undefined ? () => undefined : createBearerCheck(options.token);
  const { handler, health } = options;
  server.addService(withSharedResponseBytes(syncService, 'SyncFlags'), {
    SyncFlags: guardStream(guard, (call: ServerWritableStream<SyncFlagsRequest, SyncFlagsResponse>) =>
      handler.syncFlags(adaptServerStream(call)),
    ),
    FetchAllFlags: guardUnary(
      guard,
      (
        call: ServerUnaryCall<FetchAllFlagsRequest, FetchAllFlagsResponse>,
        callback: sendUnaryData<FetchAllFlagsResponse>,
      ) => replyUnary(callback, handler.fetchAllFlags(call.request, call.metadata)),
    ),
    GetMetadata: guardUnary(
      guard,
      (_call: ServerUnaryCall<unknown, GetMetadataResponse>, callback: sendUnaryData<GetMetadataResponse>) =>
        replyUnary(callback, handler.getMetadata()),
    ),
  });
  // Check stays open without a token: probes (kubelet's gRPC probe, load balancers, grpc_health_probe)
  // call Check and cannot send one, and it reveals no flags. Watch holds a stream open, so with a token
  // configured it asks for the token like the sync calls; either way the number open is bounded.
  server.addService(healthService, {
    Check: (
      call: ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>,
      callback: sendUnaryData<HealthCheckResponse>,
    ) => replyUnary(callback, health.check(call.request)),
    Watch: guardStream(guard, (call: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>) =>
      health.watch(adaptServerStream(call)),
    ),
  });
}

async function serverCredentials(tls: SyncServerOptions['tls']): Promise<Result<ServerCredentials, Error>> {
  if (tls === undefined) return { ok: true, value: ServerCredentials.createInsecure() };
  const pair = await readTlsKeyPair(tls);
  if (!pair.ok) return pair;
  try {
    return {
      ok: true,
      value: ServerCredentials.createSsl(null, [{ cert_chain: pair.value.cert, private_key: pair.value.key }], false),
    };
  } catch (cause) {
    return {
      ok: false,
      error: new Error(`Invalid TLS certificate or key: ${tls.certPath}, ${tls.keyPath}`, { cause }),
    };
  }
}

function listenAddress(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

function bind(server: Server, address: string, credentials: ServerCredentials): Promise<Result<number, Error>> {
  return new Promise((resolve) => {
    server.bindAsync(address, credentials, (error, port) => {
      if (error === null) resolve({ ok: true, value: port });
      else resolve({ ok: false, error: new Error(`Cannot listen on ${address}: ${error.message}`, { cause: error }) });
    });
  });
}

function shutdown(server: Server, options: SyncServerOptions): Promise<void> {
  options.handler.closeAll();
  options.health.closeAll();
  return new Promise((resolve) => {
    const force = setTimeout(() => server.forceShutdown(), options.shutdownGraceMs ?? 5_000);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
