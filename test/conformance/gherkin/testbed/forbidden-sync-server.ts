import { Server, ServerCredentials, status, type ServerWritableStream, type sendUnaryData } from '@grpc/grpc-js';
import { loadSyncProtocol } from '../../../../src/flagd/sync/sync-proto.js';

const FORBIDDEN = { code: status.PERMISSION_DENIED, details: 'forbidden by the test proxy' };

/**
 * Stands in for the testbed's envoy `forbidden` route: a real gRPC server on loopback that answers
 * every sync call with PERMISSION_DENIED, as a proxy refusing the caller would.
 */
export class ForbiddenSyncServer {
  readonly #server = new Server();
  #port = 0;

  get port(): number {
    return this.#port;
  }

  async start(): Promise<void> {
    const deny = (call: ServerWritableStream<unknown, unknown>): void => {
      call.emit('error', FORBIDDEN);
    };
    const denyUnary = (_call: unknown, callback: sendUnaryData<unknown>): void => callback(FORBIDDEN);
    this.#server.addService(loadSyncProtocol().syncService, {
      SyncFlags: deny,
      FetchAllFlags: denyUnary,
      GetMetadata: denyUnary,
    });
    this.#port = await new Promise<number>((resolve, reject) =>
      this.#server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) =>
        error === null ? resolve(port) : reject(error),
      ),
    );
  }

  dispose(): void {
    this.#server.forceShutdown();
  }
}
