import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Result } from '../../errors/result.js';

/** Starts `server` listening; resolves to the bound port, or to an error naming the address. */
export function listenHttp(server: Server, host: string, port: number): Promise<Result<number, Error>> {
  return new Promise((resolve) => {
    const onError = (error: Error): void =>
      resolve({ ok: false, error: new Error(`Cannot listen on ${host}:${port}: ${error.message}`, { cause: error }) });
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve({ ok: true, value: (server.address() as AddressInfo).port });
    });
  });
}
