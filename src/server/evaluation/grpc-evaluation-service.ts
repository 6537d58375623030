import { create, fromBinary, toBinary, type DescService } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import {
  Server,
  ServerInterceptingCall,
  status as GrpcStatus,
  type Metadata,
  type ServerErrorResponse,
  type ServerInterceptor,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { Service as ServiceV1 } from '../../generated/flagd/evaluation/v1/evaluation_pb.js';
import { Service as ServiceV2 } from '../../generated/flagd/evaluation/v2/evaluation_pb.js';
import type { EvaluationMetrics } from './evaluation-metrics.js';
import type { EvaluationService, RequestHeaders } from './evaluation-service.js';
import { codeName } from './request-outcome.js';
import type { WireType } from './wire-answer.js';

export interface GrpcEvaluationOptions {
  readonly service: EvaluationService;
  readonly metrics: EvaluationMetrics;
  /** Checks `authorization`, giving why it fails; absent when the server has no token. */
  readonly checkToken?: (authorization: string | undefined) => string | undefined;
  /** Largest request message accepted, in bytes; 0 for no limit. */
  readonly maxRequestBodyBytes: number;
}

/** The Resolve* methods by their proto name, and the type each answers. */
const RESOLVERS: Readonly<Record<string, WireType>> = {
  ResolveBoolean: 'boolean',
  ResolveString: 'string',
  ResolveFloat: 'float',
  ResolveInt: 'int',
  ResolveObject: 'object',
};

/**
 * flagd.evaluation v1 and v2 on a grpc-js server, the same service the Connect routes serve
 * (`registerEvaluationRoutes`), for the gRPC clients on plaintext HTTP/2: grpc-js drives HTTP/2 streams
 * directly and answers several times as many calls per CPU-second as connect-node's compatibility layer.
 * Messages are encoded by the same generated schemas; failures keep the codes and messages the service
 * gives them. The server does not listen: connections are injected (`createConnectionInjector`).
 */
export function createGrpcEvaluationServer(options: GrpcEvaluationOptions): Server {
  const server = new Server({
    interceptors: [countOutcomes(options.metrics), requireRequestMessage],
    ...(options.maxRequestBodyBytes > 0 ? { 'grpc.max_receive_message_length': options.maxRequestBodyBytes } : {}),
  });
  for (const service of [ServiceV2, ServiceV1] as const) {
    server.addService(definitionOf(service), implementationOf(service, options));
  }
  return server;
}

function definitionOf(service: DescService): ServiceDefinition {
  const definition: Record<string, ServiceDefinition[string]> = {};
  for (const method of service.methods) {
    definition[method.name] = {
      path: `/${service.typeName}/${method.name}`,
      requestStream: false,
      responseStream: method.methodKind === 'server_streaming',
      requestSerialize: (message: never) => Buffer.from(toBinary(method.input, message)),
      requestDeserialize: (bytes: Buffer) => fromBinary(method.input, bytes),
      responseSerialize: (message: Record<string, unknown>) =>
        Buffer.from(toBinary(method.output, create(method.output, message))),
      responseDeserialize: (bytes: Buffer) => fromBinary(method.output, bytes),
      originalName: method.localName,
    } as ServiceDefinition[string];
  }
  return definition as ServiceDefinition;
}

type Request = { readonly flagKey?: string; readonly context?: Parameters<EvaluationService['resolveAll']>[0] };
type UnaryCall = { readonly request: Request; readonly metadata: Metadata };
type Callback = (error: ServerErrorResponse | null, answer?: object) => void;
type StreamCall = {
  readonly metadata: Metadata;
  write(message: object): boolean;
  end(): void;
  emit(event: 'error', error: ServerErrorResponse): boolean;
  on(event: 'cancelled', listener: () => void): unknown;
};

function implementationOf(service: DescService, options: GrpcEvaluationOptions): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  const unary =
    (answer: (request: Request, headers: RequestHeaders) => object) =>
    (call: UnaryCall, callback: Callback): void => {
      const headers = headersOf(call.metadata);
      let result: object;
      try {
        refuseUnauthorized(headers, options);
        result = answer(call.request, headers);
      } catch (error) {
        callback(grpcErrorOf(error));
        return;
      }
      callback(null, result);
    };
  for (const method of service.methods) {
    const type = RESOLVERS[method.name];
    if (type !== undefined) {
      implementation[method.name] = unary((request, headers) =>
        options.service.resolve(type, request.flagKey ?? '', request.context, headers),
      );
    } else if (method.name === 'ResolveAll') {
      implementation[method.name] = unary((request, headers) => options.service.resolveAll(request.context, headers));
    } else if (method.name === 'EventStream') {
      implementation[method.name] = (call: StreamCall) => void streamEvents(call, options);
    }
  }
  return implementation;
}

async function streamEvents(call: StreamCall, options: GrpcEvaluationOptions): Promise<void> {
  const cancelled = new AbortController();
  call.on('cancelled', () => cancelled.abort());
  try {
    const headers = headersOf(call.metadata);
    refuseUnauthorized(headers, options);
    for await (const event of options.service.events(headers, cancelled.signal)) call.write(event);
    call.end();
  } catch (error) {
    call.emit('error', grpcErrorOf(error));
  }
}

function refuseUnauthorized(headers: RequestHeaders, options: GrpcEvaluationOptions): void {
  const failure = options.checkToken?.(headers.get('authorization') ?? undefined);
  if (failure !== undefined) throw new ConnectError(failure, Code.Unauthenticated);
}

/** The gRPC metadata as the service reads headers: the first value of each (binary values are not read). */
function headersOf(metadata: Metadata): RequestHeaders {
  return {
    get: (name: string): string | null => {
      const value = metadata.get(name)[0];
      return typeof value === 'string' ? value : null;
    },
  };
}

/** The service's failures carry Connect codes, which are gRPC's status numbers; anything else is INTERNAL. */
function grpcErrorOf(error: unknown): ServerErrorResponse {
  if (error instanceof ConnectError) {
    return {
      name: 'ConnectError',
      message: error.rawMessage,
      code: error.code as number as GrpcStatus,
      details: error.rawMessage,
    };
  }
  return { name: 'Error', message: 'Internal error', code: GrpcStatus.INTERNAL, details: 'Internal error' };
}

/**
 * Counts every call that reaches a method by its final status, as the Connect side counts its calls. grpc-js
 * answers some failures from inside the call itself (a message over the size limit), past every
 * interceptor's responder, so the count wraps the call's own sendStatus.
 */
function countOutcomes(metrics: EvaluationMetrics): ServerInterceptor {
  return (methodDescriptor, call) => {
    const sendStatus = call.sendStatus.bind(call);
    let counted = false;
    call.sendStatus = (status) => {
      if (!counted)
        metrics.requestFinished('grpc', methodDescriptor.path, status.code === 0 ? 'ok' : codeName(status.code));
      counted = true;
      sendStatus(status);
    };
    return new ServerInterceptingCall(call);
  };
}

/**
 * Ends a unary call whose request message is missing or cut short with INVALID_ARGUMENT, as the Connect
 * side answers it (grpc-js would say UNIMPLEMENTED).
 */
const requireRequestMessage: ServerInterceptor = (methodDescriptor, call) => {
  if (methodDescriptor.requestStream) return new ServerInterceptingCall(call);
  let received = false;
  const intercepting: ServerInterceptingCall = new ServerInterceptingCall(call, {
    start: (next) =>
      next({
        onReceiveMessage: (message, nextMessage) => {
          received = true;
          nextMessage(message);
        },
        onReceiveHalfClose: (nextHalfClose) => {
          if (received) nextHalfClose();
          else
            intercepting.sendStatus({
              code: GrpcStatus.INVALID_ARGUMENT,
              details: 'Missing or incomplete request message',
            });
        },
      }),
  });
  return intercepting;
};
