import { Metadata } from '@grpc/grpc-js';
import type { ServerStream, SyncStatusError } from '../../../../src/flagd/sync/sync-stream.js';

/** An in-memory server stream: records what the handler sends and how it ends the call. */
export class FakeServerStream<Request, Response> implements ServerStream<Request, Response> {
  readonly request: Request;
  readonly metadata = new Metadata();
  readonly sent: Response[] = [];
  failure: SyncStatusError | undefined;
  /** When false, send() reports a full buffer until drain() is called. */
  writable = true;
  #drainListeners: (() => void)[] = [];
  #closeListeners: (() => void)[] = [];

  constructor(request: Request, headers: Record<string, string> = {}) {
    this.request = request;
    for (const [key, value] of Object.entries(headers)) this.metadata.set(key, value);
  }

  send(message: Response): boolean {
    this.sent.push(message);
    return this.writable;
  }

  onDrain(listener: () => void): void {
    this.#drainListeners.push(listener);
  }

  onClose(listener: () => void): void {
    this.#closeListeners.push(listener);
  }

  fail(error: SyncStatusError): void {
    this.failure = error;
    this.cancel();
  }

  drain(): void {
    this.writable = true;
    for (const listener of this.#drainListeners) listener();
  }

  /** The client goes away. */
  cancel(): void {
    const listeners = this.#closeListeners;
    this.#closeListeners = [];
    for (const listener of listeners) listener();
  }
}
