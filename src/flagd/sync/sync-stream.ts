import type { Metadata, status } from '@grpc/grpc-js';
import type { Result } from '../../errors/result.js';
import type { SyncFlagsRequest, SyncFlagsResponse } from './sync-messages.js';

/** A gRPC status to end a call with. */
export interface SyncStatusError {
  readonly code: status;
  readonly details: string;
}

/** A unary call's answer: the response, or the status to end the call with. */
export type UnaryReply<T> = Result<T, SyncStatusError>;

/**
 * The parts of a server-streaming call the handlers use. The server adapts grpc-js calls to it, and
 * tests drive the handlers with a plain fake.
 */
export interface ServerStream<Request, Response> {
  readonly request: Request;
  readonly metadata: Metadata;
  /** Sends one message; false when the transport buffer is full and `onDrain` will fire. */
  send(message: Response): boolean;
  onDrain(listener: () => void): void;
  /** Fires once when the call is over for any reason: client cancel, deadline, end or error. */
  onClose(listener: () => void): void;
  /** Ends the call with a non-OK status. */
  fail(error: SyncStatusError): void;
}

export type SyncStream = ServerStream<SyncFlagsRequest, SyncFlagsResponse>;
