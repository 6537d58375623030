import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import type { SyncFlagsResponse } from './sync-messages.js';

/** Distinct payloads remembered: one per selection in use, so a push round over mixed selectors never re-encodes. */
export const SHARED_RESPONSES = 16;

type Encoded = { readonly syncContext: SyncFlagsResponse['syncContext']; readonly bytes: Buffer };

/**
 * After a change every subscriber of a selection is sent the same SyncFlagsResponse, and grpc-js
 * encodes each message on its own: in the sync benchmark the protobuf encoding was 40 % of a push's
 * CPU. This wraps `SyncFlags`' response serializer so a response whose payload string and
 * `syncContext` object are those of a recent one reuses its bytes (grpc-js copies them into each
 * frame, so sharing is safe). The payload strings come from `SyncFlagState`'s per-selection cache and
 * the context from the handler, so the comparisons are mostly by reference.
 */
export function withSharedResponseBytes(service: ServiceDefinition, methodName: string): ServiceDefinition {
  const method = service[methodName] as MethodDefinition<unknown, SyncFlagsResponse> | undefined;
  if (method === undefined) throw new Error(`Service has no method ${methodName}`);
  const encode = method.responseSerialize;
  const recent = new Map<string, Encoded>();
  const serialize = (response: SyncFlagsResponse): Buffer => {
    const known = recent.get(response.flagConfiguration);
    if (known !== undefined && known.syncContext === response.syncContext) return known.bytes;
    const bytes = encode(response);
    recent.delete(response.flagConfiguration);
    recent.set(response.flagConfiguration, { syncContext: response.syncContext, bytes });
    // Maps iterate in insertion order: the first key is the least recently encoded.
    if (recent.size > SHARED_RESPONSES) recent.delete(recent.keys().next().value as string);
    return bytes;
  };
  return { ...service, [methodName]: { ...method, responseSerialize: serialize } };
}
