import {
  create,
  fromBinary,
  toBinary,
  type DescMessage,
  type DescMethod,
  type MessageInitShape,
  type MessageShape,
} from '@bufbuild/protobuf';
import {
  makeGenericClientConstructor,
  type MethodDefinition,
  type ServiceClientConstructor,
  type ServiceDefinition,
} from '@grpc/grpc-js';
import {
  FetchAllFlagsRequestSchema,
  FetchAllFlagsResponseSchema,
  FlagSyncService,
  GetMetadataRequestSchema,
  GetMetadataResponseSchema,
  SyncFlagsRequestSchema,
  SyncFlagsResponseSchema,
} from '../../generated/flagd/sync/v1/sync_pb.js';
import {
  Health,
  HealthCheckRequestSchema,
  HealthCheckResponse_ServingStatus,
  HealthCheckResponseSchema,
} from '../../generated/grpc/health/v1/health_pb.js';
import type { HealthCheckRequest, HealthCheckResponse } from './health-service.js';
import { fromProtoStruct, toProtoStruct, type ProtoStruct } from './struct-codec.js';
import type {
  FetchAllFlagsRequest,
  FetchAllFlagsResponse,
  GetMetadataResponse,
  SyncFlagsRequest,
  SyncFlagsResponse,
} from './sync-messages.js';

/**
 * The gRPC services of this package as grpc-js definitions, encoded with the protobuf-es descriptors
 * that `npm run generate` writes from `proto/` into `src/generated/`. Parsing the `.proto` files at
 * run time (@grpc/proto-loader, protobufjs) cost every `serve` start and every sync client a tenth of
 * a CPU-second. The objects handed to and taken from the handlers keep the shapes of
 * `sync-messages.ts` and `health-service.ts`: camelCase fields, enums by name, `google.protobuf.Struct`
 * as `ProtoStruct`.
 */
export const SYNC_SERVICE_NAME = FlagSyncService.typeName;
export const HEALTH_SERVICE_NAME = Health.typeName;

export interface SyncProtocol {
  readonly syncService: ServiceDefinition;
  readonly healthService: ServiceDefinition;
  readonly SyncClient: ServiceClientConstructor;
  readonly HealthClient: ServiceClientConstructor;
}

let loaded: SyncProtocol | undefined;

/** Builds both protocols once per process; the definitions are immutable and shared. */
export function loadSyncProtocol(): SyncProtocol {
  loaded ??= buildProtocol();
  return loaded;
}

/** How the objects of our code for one message type become its wire bytes and back. */
interface Codec<Plain> {
  readonly serialize: (value: Plain) => Buffer;
  readonly deserialize: (bytes: Buffer) => Plain;
}

function codec<Schema extends DescMessage, Plain>(
  schema: Schema,
  toMessage: (value: Plain) => MessageInitShape<Schema>,
  fromMessage: (message: MessageShape<Schema>) => Plain,
): Codec<Plain> {
  return {
    serialize: (value) => Buffer.from(toBinary(schema, create(schema, toMessage(value)))),
    deserialize: (bytes) => fromMessage(fromBinary(schema, bytes)),
  };
}

function grpcMethod<Request, Response>(
  method: DescMethod,
  request: Codec<Request>,
  response: Codec<Response>,
): MethodDefinition<Request, Response> {
  return {
    path: `/${method.parent.typeName}/${method.name}`,
    requestStream: method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
    responseStream: method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
    requestSerialize: request.serialize,
    requestDeserialize: request.deserialize,
    responseSerialize: response.serialize,
    responseDeserialize: response.deserialize,
    // grpc-js clients answer to both `SyncFlags` and `syncFlags`, as with definitions from .proto files.
    originalName: method.localName,
  };
}

const structOrUndefined = (struct: ProtoStruct | undefined): ReturnType<typeof fromProtoStruct> | undefined =>
  struct === undefined ? undefined : fromProtoStruct(struct);

const syncFlagsRequest = codec<typeof SyncFlagsRequestSchema, SyncFlagsRequest>(
  SyncFlagsRequestSchema,
  (value) => ({ providerId: value.providerId, selector: value.selector }),
  (message) => ({ providerId: message.providerId, selector: message.selector }),
);

const syncFlagsResponse = codec<typeof SyncFlagsResponseSchema, SyncFlagsResponse>(
  SyncFlagsResponseSchema,
  (value) => ({ flagConfiguration: value.flagConfiguration, syncContext: structOrUndefined(value.syncContext) }),
  (message) =>
    message.syncContext === undefined
      ? { flagConfiguration: message.flagConfiguration }
      : { flagConfiguration: message.flagConfiguration, syncContext: toProtoStruct(message.syncContext) },
);

const fetchAllFlagsRequest = codec<typeof FetchAllFlagsRequestSchema, FetchAllFlagsRequest>(
  FetchAllFlagsRequestSchema,
  (value) => ({ providerId: value.providerId, selector: value.selector }),
  (message) => ({ providerId: message.providerId, selector: message.selector }),
);

const fetchAllFlagsResponse = codec<typeof FetchAllFlagsResponseSchema, FetchAllFlagsResponse>(
  FetchAllFlagsResponseSchema,
  (value) => ({ flagConfiguration: value.flagConfiguration }),
  (message) => ({ flagConfiguration: message.flagConfiguration }),
);

const getMetadataRequest = codec<typeof GetMetadataRequestSchema, Record<string, never>>(
  GetMetadataRequestSchema,
  () => ({}),
  () => ({}),
);

const getMetadataResponse = codec<typeof GetMetadataResponseSchema, GetMetadataResponse>(
  GetMetadataResponseSchema,
  (value) => ({ metadata: fromProtoStruct(value.metadata) }),
  (message) => ({ metadata: toProtoStruct(message.metadata ?? {}) }),
);

const healthCheckRequest = codec<typeof HealthCheckRequestSchema, HealthCheckRequest>(
  HealthCheckRequestSchema,
  (value) => ({ service: value.service }),
  (message) => ({ service: message.service }),
);

const healthCheckResponse = codec<typeof HealthCheckResponseSchema, HealthCheckResponse>(
  HealthCheckResponseSchema,
  (value) => ({ status: HealthCheckResponse_ServingStatus[value.status] }),
  (message) => ({ status: HealthCheckResponse_ServingStatus[message.status] as HealthCheckResponse['status'] }),
);

function buildProtocol(): SyncProtocol {
  const sync = FlagSyncService.method;
  const syncService: ServiceDefinition = {
    SyncFlags: grpcMethod(sync.syncFlags, syncFlagsRequest, syncFlagsResponse),
    FetchAllFlags: grpcMethod(sync.fetchAllFlags, fetchAllFlagsRequest, fetchAllFlagsResponse),
    GetMetadata: grpcMethod(sync.getMetadata, getMetadataRequest, getMetadataResponse),
  };
  const healthService: ServiceDefinition = {
    Check: grpcMethod(Health.method.check, healthCheckRequest, healthCheckResponse),
    Watch: grpcMethod(Health.method.watch, healthCheckRequest, healthCheckResponse),
  };
  return {
    syncService,
    healthService,
    SyncClient: makeGenericClientConstructor(syncService, SYNC_SERVICE_NAME),
    HealthClient: makeGenericClientConstructor(healthService, HEALTH_SERVICE_NAME),
  };
}
