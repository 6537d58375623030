import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The HTTP/1.1 connections handed to a server that does not listen itself (so node's own
 * closeAllConnections does not know them), with how many requests each has in flight. `closeAll`
 * ends idle keep-alive connections at once and the others as soon as their response is written,
 * so a shutdown neither waits for browsers' idle connections nor cuts an answer short.
 */
export class Http1Connections {
  readonly #inFlight = new Map<Socket, number>();
  #closing = false;

  constructor(server: Server) {
    server.on(
      'request',
      (request: { socket: Socket }, response: { once(event: 'close', listener: () => void): void }) => {
        const socket = request.socket;
        this.#inFlight.set(socket, (this.#inFlight.get(socket) ?? 0) + 1);
        response.once('close', () => {
          const left = (this.#inFlight.get(socket) ?? 1) - 1;
          this.#inFlight.set(socket, left);
          if (this.#closing && left === 0) socket.destroy();
        });
      },
    );
  }

  add(socket: Socket): void {
    this.#inFlight.set(socket, 0);
    socket.once('close', () => this.#inFlight.delete(socket));
  }

  closeAll(): void {
    this.#closing = true;
    for (const [socket, count] of this.#inFlight) if (count === 0) socket.destroy();
  }
}
