import type { ProtoStruct } from './struct-codec.js';

/**
 * The flagd.sync.v1 messages as `sync-proto.ts` hands them over (camelCase fields, defaults filled
 * in), matching proto/flagd/sync/v1/sync.proto.
 */
export interface SyncFlagsRequest {
  readonly providerId: string;
  readonly selector: string;
}

export interface SyncFlagsResponse {
  /** The flagd flag document as JSON text: `{"flags":{...}}`. */
  readonly flagConfiguration: string;
  readonly syncContext?: ProtoStruct;
}

export interface FetchAllFlagsRequest {
  readonly providerId: string;
  readonly selector: string;
}

export interface FetchAllFlagsResponse {
  readonly flagConfiguration: string;
}

export interface GetMetadataResponse {
  readonly metadata: ProtoStruct;
}
