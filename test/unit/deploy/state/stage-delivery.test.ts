import { describe, expect, it } from 'vitest';
import { nextCheckAtMs } from '../../../../src/deploy/gates/check-schedule.js';
import { buildPlan } from '../../../../src/deploy/plan/plan.js';
import { hashPlan } from '../../../../src/deploy/plan/plan-hash.js';
import type { DeploymentState } from '../../../../src/deploy/state/deployment-state.js';
import { awaitingDelivery, deliveryAfterWrite, markDelivered } from '../../../../src/deploy/state/stage-delivery.js';
import { startDeployment } from '../../../../src/deploy/state/transitions.js';

const START = Date.parse('2025-10-18T00:00:00Z');
const SECOND = 1_000;

function started(): DeploymentState {
  const built = buildPlan({
    flag: 'f',
    configFile: 'redis://store flag set default',
    strategy: 'custom',
    steps: [0, 50, 100],
    stepDurationMs: 60 * SECOND,
  });
  if (!built.ok) throw new Error(built.error);
  return { ...startDeployment(built.value, hashPlan(built.value), START, 'ops@host').state, applied: true };
}

function written(state: DeploymentState, atMs: number): DeploymentState {
  const delivery = deliveryAfterWrite(state, atMs);
  return delivery === undefined ? state : { ...state, delivery };
}

describe('stage delivery', () => {
  it('waits after the first write of a stage, with no check due meanwhile', () => {
    const state = written(started(), START + 2 * SECOND);
    expect(state.delivery).toEqual({
      stageEnteredAt: '2025-10-18T00:00:00.000Z',
      writtenAt: '2025-10-18T00:00:02.000Z',
      deliveredAt: null,
    });
    expect(awaitingDelivery(state)).toBe(true);
    expect(nextCheckAtMs(state)).toBe(Infinity);
  });

  it('starts the stage clock at the delivery: the step is held from there', () => {
    const delivered = markDelivered(written(started(), START + 2 * SECOND), START + 5 * SECOND);
    expect(delivered.stageEnteredAt).toBe('2025-10-18T00:00:05.000Z');
    expect(delivered.delivery?.deliveredAt).toBe('2025-10-18T00:00:05.000Z');
    expect(awaitingDelivery(delivered)).toBe(false);
    expect(nextCheckAtMs(delivered)).toBe(START + 65 * SECOND);
  });

  it('keeps a delivered stage delivered when it is written again (a push rewritten over)', () => {
    const delivered = markDelivered(written(started(), START + 2 * SECOND), START + 5 * SECOND);
    expect(written(delivered, START + 30 * SECOND).delivery).toBe(delivered.delivery);
  });

  it('starts the timeout again when a stage still waiting is written again (a resume)', () => {
    const waiting = written(started(), START + 2 * SECOND);
    expect(written(waiting, START + 90 * SECOND).delivery?.writtenAt).toBe('2025-10-18T00:01:30.000Z');
  });

  it('waits anew for a stage entered after the one delivered', () => {
    const delivered = markDelivered(written(started(), START), START + SECOND);
    const next = { ...delivered, stageIndex: 1, percentage: 50, stageEnteredAt: '2025-10-18T00:02:00.000Z' };
    expect(awaitingDelivery(next)).toBe(false);
    const rewritten = written(next, START + 121 * SECOND);
    expect(rewritten.delivery).toEqual({
      stageEnteredAt: '2025-10-18T00:02:00.000Z',
      writtenAt: '2025-10-18T00:02:01.000Z',
      deliveredAt: null,
    });
    expect(awaitingDelivery(rewritten)).toBe(true);
  });

  it('does not wait for a deployment that is not running', () => {
    const paused: DeploymentState = { ...started(), status: 'paused' };
    expect(deliveryAfterWrite(paused, START)).toBeUndefined();
    expect(awaitingDelivery({ ...written(started(), START), status: 'paused' })).toBe(false);
  });
});
