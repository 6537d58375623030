import type { Metadata, sendUnaryData, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import type { ServerStream, SyncStatusError, UnaryReply } from './sync-stream.js';

/** Wraps a grpc-js server stream in the narrow interface the handlers use. */
export function adaptServerStream<Request, Response>(
  call: ServerWritableStream<Request, Response>,
): ServerStream<Request, Response> {
  return {
    request: call.request,
    metadata: call.metadata,
    send: (message) => call.write(message),
    onDrain: (listener) => call.on('drain', listener),
    onClose: (listener) => {
      let fired = false;
      const once = (): void => {
        if (fired) return;
        fired = true;
        listener();
      };
      // A client cancel shows as 'cancelled'; every other ending (status sent, transport gone) as 'close'.
      call.once('cancelled', once);
      call.once('close', once);
    },
    // grpc-js turns an 'error' event on a server stream into the call's final status.
    fail: (error) => call.emit('error', { code: error.code, details: error.details }),
  };
}

/** Sends a handler's reply through a grpc-js unary callback: the value, or the status error. */
export function replyUnary<Response>(callback: sendUnaryData<Response>, reply: UnaryReply<Response>): void {
  if (!reply.ok) {
    callback({ code: reply.error.code, details: reply.error.details });
    return;
  }
  callback(null, reply.value);
}

/** A check run before a call; an error ends the call with that status and the handler never runs. */
export type CallGuard = (metadata: Metadata) => SyncStatusError | undefined;

export function guardUnary<Request, Response>(
  guard: CallGuard,
  handle: (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>) => void,
): (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>) => void {
  return (call, callback) => {
    const denied = guard(call.metadata);
    if (denied !== undefined) {
      callback({ code: denied.code, details: denied.details });
      return;
    }
    handle(call, callback);
  };
}

export function guardStream<Request, Response>(
  guard: CallGuard,
  handle: (call: ServerWritableStream<Request, Response>) => void,
): (call: ServerWritableStream<Request, Response>) => void {
  return (call) => {
    const denied = guard(call.metadata);
    if (denied !== undefined) {
      call.emit('error', { code: denied.code, details: denied.details });
      return;
    }
    handle(call);
  };
}
