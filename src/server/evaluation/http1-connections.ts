import type { Socket } from 'node:net';

/** A server that emits `request` for HTTP/1.1 requests (node's HTTP/1.1 server, or HTTP/2's with `allowHTTP1`). */
interface RequestEmitter {
  on(event: 'request', listener: (request: { socket: Socket }, response: ResponseEnd) => void): unknown;
}

interface ResponseEnd {
  once(event: 'close', listener: () => void): unknown;
}

/**
 * The HTTP/1.1 connections of a server whose own closeAllConnections does not know them (one that
 * does not listen itself, or HTTP/2's secure server falling back to HTTP/1.1), with how many requests
 * each has in flight. `closeAll` ends idle keep-alive connections at once and the others as soon as
 * their response is written, so a shutdown neither waits for browsers' idle connections nor cuts an
 * answer short. Requests on connections never `add`ed (HTTP/2 streams) are not counted.
 */
export class Http1Connections {
  readonly #inFlight = new Map<Socket, number>();
  #closing = false;

  constructor(server: RequestEmitter) {
    server.on('request', (request, response) => {
      const socket = request.socket;
      const count = this.#inFlight.get(socket);
      if (count === undefined) return;
      this.#inFlight.set(socket, count + 1);
      response.once('close', () => {
        const left = (this.#inFlight.get(socket) ?? 1) - 1;
        this.#inFlight.set(socket, left);
        if (this.#closing && left === 0) socket.destroy();
      });
    });
  }

  add(socket: Socket): void {
    if (this.#closing) {
      socket.destroy();
      return;
    }
    this.#inFlight.set(socket, 0);
    socket.once('close', () => this.#inFlight.delete(socket));
  }

  closeAll(): void {
    this.#closing = true;
    for (const [socket, count] of this.#inFlight) if (count === 0) socket.destroy();
  }
}
