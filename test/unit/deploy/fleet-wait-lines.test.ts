import { describe, expect, it } from 'vitest';
import {
  fleetDeliveredReport,
  fleetWaitReport,
  FleetWaitThrottle,
  renderFleetDelivered,
  renderFleetWait,
} from '../../../src/cli/commands/fleet-wait-lines.js';
import type { FleetDelivery } from '../../../src/deploy/persistence/fleet-delivery.js';
import { buildPlan } from '../../../src/deploy/plan/plan.js';
import { hashPlan } from '../../../src/deploy/plan/plan-hash.js';
import type { DeploymentState } from '../../../src/deploy/state/deployment-state.js';
import { startDeployment } from '../../../src/deploy/state/transitions.js';
import type { ReplicaPresence } from '../../../src/store/replica-presence.js';

const START = Date.parse('2025-10-18T00:00:00Z');
const SECOND = 1_000;

function started(): DeploymentState {
  const built = buildPlan({
    flag: 'checkout',
    configFile: 'redis://store flag set default',
    strategy: 'custom',
    steps: [10, 50, 100],
    stepDurationMs: 60 * SECOND,
  });
  if (!built.ok) throw new Error(built.error);
  return { ...startDeployment(built.value, hashPlan(built.value), START, 'ops@host').state, applied: true };
}

function replica(id: string, revision: number, streams: number, streamsAtRevision: number): ReplicaPresence {
  return {
    id,
    host: `host-${id}`,
    pid: 100 + id.length,
    startedAt: '2025-10-18T00:00:00.000Z',
    flagSet: 'default',
    revision,
    streams,
    streamsAtRevision,
    updatedAt: '2025-10-18T00:00:00.000Z',
  };
}

/** Revision 8 is at replica a on both streams; b serves 7; c serves 8 but has sent it to 1 of 3 streams. */
function delivery(lagging: readonly ReplicaPresence[]): FleetDelivery {
  const replicas = [replica('a', 8, 2, 2), ...lagging];
  return { revision: 8, replicas, lagging };
}

describe('the lines of a stage waiting for the fleet', () => {
  it('counts replicas and streams at the revision and names each lagging replica with its host', () => {
    const waiting = delivery([replica('b', 7, 1, 1), replica('c', 8, 3, 1)]);
    const report = fleetWaitReport(waiting, started(), 4 * SECOND, 60 * SECOND, START + 4 * SECOND);
    expect(report).toEqual({
      event: 'fleet',
      at: '2025-10-18T00:00:04.000Z',
      flag: 'checkout',
      stage: 0,
      percentage: 10,
      revision: 8,
      replicas: 3,
      replicasDelivered: 1,
      streams: 6,
      streamsDelivered: 3,
      waitedMs: 4_000,
      timeoutMs: 60_000,
      lagging: [
        { id: 'b', host: 'host-b', pid: 101, revision: 7, streams: 1, streamsBehind: 1 },
        { id: 'c', host: 'host-c', pid: 101, revision: 8, streams: 3, streamsBehind: 2 },
      ],
    });
    expect(renderFleetWait(report, waiting)).toBe(
      '2025-10-18T00:00:04.000Z  fleet       checkout 10%  revision 8 at 1/3 replicas, 3/6 streams (waited 4s of 1m); ' +
        'lagging: replica b (host host-b, pid 101) serves revision 7, 1 of 1 streams behind; ' +
        'replica c (host host-c, pid 101) serves revision 8, 2 of 3 streams behind',
    );
  });

  it('says once that the stage reached every stream and its clock starts', () => {
    const report = fleetDeliveredReport(delivery([]), started(), START + 9 * SECOND);
    expect(renderFleetDelivered(report)).toBe(
      "2025-10-18T00:00:09.000Z  delivered   checkout 10%  revision 8 at every stream of 1 replicas (2 streams); the stage's clock starts",
    );
  });

  it('prints the first look, each change of who lags, and otherwise one look every 5 s', () => {
    const throttle = new FleetWaitThrottle();
    const look = (lagging: readonly ReplicaPresence[], atMs: number): boolean =>
      throttle.shouldPrint(fleetWaitReport(delivery(lagging), started(), atMs - START, 60 * SECOND, atMs), atMs);
    const behind = [replica('b', 7, 1, 0)];
    const printed = [
      look(behind, START),
      look(behind, START + 250),
      look(behind, START + 4_750),
      look(behind, START + 5_000),
      look([replica('b', 8, 1, 0)], START + 5_250),
      look([replica('b', 8, 1, 0)], START + 5_500),
    ];
    expect(printed).toEqual([true, false, false, true, true, false]);
    throttle.reset();
    expect(look([replica('b', 8, 1, 0)], START + 5_750)).toBe(true);
  });
});
