import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { describe, expect, it, vi } from 'vitest';
import { SHARED_RESPONSES, withSharedResponseBytes } from '../../../../src/flagd/sync/shared-response-bytes.js';
import { toProtoStruct } from '../../../../src/flagd/sync/struct-codec.js';
import type { SyncFlagsResponse } from '../../../../src/flagd/sync/sync-messages.js';
import { loadSyncProtocol } from '../../../../src/flagd/sync/sync-proto.js';

type SyncMethod = MethodDefinition<unknown, SyncFlagsResponse>;

const { syncService } = loadSyncProtocol();
const protoSerialize = (syncService['SyncFlags'] as SyncMethod).responseSerialize;
const protoDeserialize = (syncService['SyncFlags'] as SyncMethod).responseDeserialize;

/** The sync service with a counting stand-in for proto-loader's serializer, wrapped. */
function wrappedWithSpy(): { serialize: (response: SyncFlagsResponse) => Buffer; encode: ReturnType<typeof vi.fn> } {
  const encode = vi.fn(protoSerialize);
  const service: ServiceDefinition = {
    ...syncService,
    SyncFlags: { ...(syncService['SyncFlags'] as SyncMethod), responseSerialize: encode },
  };
  const serialize = (withSharedResponseBytes(service, 'SyncFlags')['SyncFlags'] as SyncMethod).responseSerialize;
  return { serialize, encode };
}

const context = toProtoStruct({ region: 'eu' });
const payload = (n: number): string =>
  JSON.stringify({ flags: { [`flag-${n}`]: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'on' } } });

describe('withSharedResponseBytes', () => {
  it('encodes a response exactly as proto-loader does', () => {
    const { serialize } = wrappedWithSpy();
    const response = { flagConfiguration: payload(1), syncContext: context };
    const bytes = serialize(response);
    expect(bytes.equals(protoSerialize(response))).toBe(true);
    expect(protoDeserialize(bytes)).toMatchObject({
      flagConfiguration: payload(1),
      syncContext: { fields: { region: { stringValue: 'eu' } } },
    });
  });

  it('encodes the payload sent to every subscriber once', () => {
    const { serialize, encode } = wrappedWithSpy();
    const text = payload(1);
    for (let subscriber = 0; subscriber < 100; subscriber++)
      serialize({ flagConfiguration: text, syncContext: context });
    expect(encode).toHaveBeenCalledTimes(1);
  });

  it('encodes each distinct payload, and the same payload with another sync context, separately', () => {
    const { serialize } = wrappedWithSpy();
    const first = serialize({ flagConfiguration: payload(1), syncContext: context });
    const second = serialize({ flagConfiguration: payload(2), syncContext: context });
    const otherContext = toProtoStruct({ region: 'us' });
    const third = serialize({ flagConfiguration: payload(1), syncContext: otherContext });
    expect(protoDeserialize(first).flagConfiguration).toBe(payload(1));
    expect(protoDeserialize(second).flagConfiguration).toBe(payload(2));
    expect(third.equals(protoSerialize({ flagConfiguration: payload(1), syncContext: otherContext }))).toBe(true);
  });

  it('keeps every selection of a push round when there are no more than its capacity', () => {
    const { serialize, encode } = wrappedWithSpy();
    const texts = Array.from({ length: SHARED_RESPONSES }, (_, n) => payload(n));
    for (let round = 0; round < 3; round++)
      for (const text of texts) serialize({ flagConfiguration: text, syncContext: context });
    expect(encode).toHaveBeenCalledTimes(SHARED_RESPONSES);
  });

  it('forgets the least recently encoded payload beyond its capacity', () => {
    const { serialize, encode } = wrappedWithSpy();
    for (let n = 0; n <= SHARED_RESPONSES; n++) serialize({ flagConfiguration: payload(n), syncContext: context });
    serialize({ flagConfiguration: payload(SHARED_RESPONSES), syncContext: context });
    expect(encode).toHaveBeenCalledTimes(SHARED_RESPONSES + 1);
    serialize({ flagConfiguration: payload(0), syncContext: context });
    expect(encode).toHaveBeenCalledTimes(SHARED_RESPONSES + 2);
  });

  it('names a method the service does not have', () => {
    expect(() => withSharedResponseBytes(syncService, 'Nope')).toThrow('Service has no method Nope');
  });
});
