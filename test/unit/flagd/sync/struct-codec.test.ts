import { describe, expect, it } from 'vitest';
import { fromProtoStruct, toProtoStruct } from '../../../../src/flagd/sync/struct-codec.js';
import { loadSyncProtocol } from '../../../../src/flagd/sync/sync-proto.js';

describe('struct codec', () => {
  const context = { env: 'prod', weight: 1.5, beta: true, none: null, tags: ['a', 2], nested: { deep: { x: 'y' } } };

  it('encodes JSON as google.protobuf.Struct fields', () => {
    expect(toProtoStruct({ a: 'x', n: 2 })).toEqual({ fields: { a: { stringValue: 'x' }, n: { numberValue: 2 } } });
  });

  it('round-trips every JSON kind through the protobuf wire format', () => {
    const method = loadSyncProtocol().syncService['SyncFlags'];
    if (method === undefined) throw new Error('SyncFlags missing');
    const wire = method.responseSerialize({ flagConfiguration: '{}', syncContext: toProtoStruct(context) });
    const decoded = method.responseDeserialize(wire) as { syncContext: Parameters<typeof fromProtoStruct>[0] };
    expect(fromProtoStruct(decoded.syncContext)).toEqual(context);
  });
});
