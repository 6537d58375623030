import { describe, expect, it } from 'vitest';
import { describeLagging, streamsAt, type FleetDelivery } from '../../../src/deploy/persistence/fleet-delivery.js';
import type { ReplicaPresence } from '../../../src/store/replica-presence.js';

function replica(id: string, revision: number, streams: number, streamsAtRevision: number): ReplicaPresence {
  const [host = '', pid = '0'] = id.split('-');
  return {
    id,
    host,
    pid: Number(pid),
    startedAt: '2026-01-01T00:00:00.000Z',
    flagSet: 'default',
    revision,
    streams,
    streamsAtRevision,
    updatedAt: '2026-01-01T00:00:01.000Z',
  };
}

describe('fleet delivery', () => {
  it('counts no stream at the stage of a replica serving an older revision', () => {
    expect(streamsAt(replica('web1-10-aa', 6, 4, 4), 7)).toBe(0);
    expect(streamsAt(replica('web1-10-aa', 7, 4, 3), 7)).toBe(3);
    expect(streamsAt(replica('web1-10-aa', 8, 4, 4), 7)).toBe(4);
  });

  it('names each lagging replica with the revision it serves and its streams behind', () => {
    const old = replica('web2-20-bb', 6, 3, 3);
    const congested = replica('web3-30-cc', 7, 5, 4);
    const delivery: FleetDelivery = { revision: 7, replicas: [old, congested], lagging: [old, congested] };
    expect(describeLagging(delivery)).toBe(
      'replica web2-20-bb (host web2, pid 20) serves revision 6, 3 of 3 streams behind; ' +
        'replica web3-30-cc (host web3, pid 30) serves revision 7, 1 of 5 streams behind',
    );
  });
});
