import { Server, ServerCredentials, status, type ServerWritableStream, type sendUnaryData } from '@grpc/grpc-js';
import { loadSyncProtocol } from '../../../../src/flagd/sync/sync-proto.js';
import { bindOnFreshPorts } from './fresh-ports.js';

const FORBIDDEN = { code: status.PERMISSION_DENIED, details: 'forbidden by the test proxy' };

/**
 * Stands in for the testbed's envoy `forbidden` route: a real gRPC server on loopback that answers
 * every sync call with PERMISSION_DENIED, as a proxy refusing the caller would.
 */
export class ForbiddenSyncServer {
  #server: Server | undefined;
  #port = 0;

  get port(): number {
    return this.#port;
  }

  async start(): Promise<void> {
    const { server, port } = await bindOnFreshPorts(
      () => listenDenying(),
      (bound) => [bound.port],
      async (bound) => bound.server.forceShutdown(),
    );
    this.#server = server;
    this.#port = port;
  }

  dispose(): void {
    this.#server?.forceShutdown();
  }
}

async function listenDenying(): Promise<{ server: Server; port: number }> {
  const deny = (call: ServerWritableStream<unknown, unknown>): void => {
    call.emit('error', FORBIDDEN);
  };
  const denyUnary = (_call: unknown, callback: sendUnaryData<unknown>): void => callback(FORBIDDEN);
  const server = new Server();
  server.addService(loadSyncProtocol().syncService, {
    SyncFlags: deny,
    FetchAllFlags: denyUnary,
    GetMetadata: denyUnary,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    ),
  );
  return { server, port };
}
