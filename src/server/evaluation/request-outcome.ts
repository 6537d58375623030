import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { Code } from '@connectrpc/connect';
import type { EvaluationProtocol } from './evaluation-metrics.js';

type NodeResponse = ServerResponse | Http2ServerResponse;
type Headers = Record<string, string | string[] | number | undefined>;

/** The protocol a request speaks, from its content type (Connect is what is neither gRPC nor gRPC-Web). */
export function protocolOf(request: IncomingMessage | Http2ServerRequest): EvaluationProtocol {
  const contentType = request.headers['content-type'] ?? '';
  if (contentType.startsWith('application/grpc-web')) return 'grpc-web';
  if (contentType.startsWith('application/grpc')) return 'grpc';
  return 'connect';
}

/**
 * Calls `done` with the outcome once the response is over: the gRPC status name from `grpc-status`
 * (gRPC, gRPC-Web), else the Connect error code of an error body, else `ok` for a 2xx answer. It
 * watches what the Connect adapter writes instead of sitting in its interceptor chain, so malformed
 * bodies, wrong content types and oversized requests, which fail before any interceptor runs, count too.
 */
export function watchOutcome(response: NodeResponse, done: (code: string) => void): void {
  let grpcStatus: string | undefined;
  let errorBody = '';
  const recordStatus = (headers: Headers | undefined): void => {
    const value = headers?.['grpc-status'];
    if (value !== undefined) grpcStatus = String(value);
  };
  const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => NodeResponse;
  (response as { writeHead: unknown }).writeHead = (...args: unknown[]): NodeResponse => {
    recordStatus(args.find((arg): arg is Headers => typeof arg === 'object' && arg !== null));
    return writeHead(...args);
  };
  const addTrailers = response.addTrailers.bind(response) as (headers: Headers) => void;
  (response as { addTrailers: unknown }).addTrailers = (headers: Headers): void => {
    recordStatus(headers);
    addTrailers(headers);
  };
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  (response as { write: unknown }).write = (...args: unknown[]): boolean => {
    // Connect error bodies are small JSON objects; only their start is needed for the code.
    const chunk = args[0];
    if (response.statusCode >= 300 && errorBody.length < 200 && chunk instanceof Uint8Array)
      errorBody += Buffer.from(chunk).toString('utf8');
    return write(...args);
  };
  response.once('close', () => done(outcomeOf(response.statusCode, grpcStatus, errorBody)));
}

function outcomeOf(httpStatus: number, grpcStatus: string | undefined, errorBody: string): string {
  if (grpcStatus !== undefined) return grpcStatus === '0' ? 'ok' : codeName(Number(grpcStatus));
  if (httpStatus < 300) return 'ok';
  const code = /"code"\s*:\s*"([a-z_]+)"/.exec(errorBody)?.[1];
  return code ?? `http_${httpStatus}`;
}

/** Connect's code names (`not_found`), which are gRPC's in lower case. */
export function codeName(code: number): string {
  const name = Code[code] as string | undefined;
  return name === undefined ? `code_${code}` : name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}
