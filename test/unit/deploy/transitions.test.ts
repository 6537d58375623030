import { describe, expect, it } from 'vitest';
import { nextCheckAtMs } from '../../../src/deploy/gates/check-schedule.js';
import { applyControlRequest, type ControlAction } from '../../../src/deploy/requests/control-request.js';
import type { VerdictKind } from '../../../src/deploy/analysis/verdict-kind.js';
import type { DeploymentState, Verdict } from '../../../src/deploy/state/deployment-state.js';
import { buildPlan } from '../../../src/deploy/plan/plan.js';
import type { PlanSpec } from '../../../src/deploy/plan/deployment-plan.js';
import { hashPlan } from '../../../src/deploy/plan/plan-hash.js';
import { recordVerdict, startDeployment } from '../../../src/deploy/state/transitions.js';

const START = Date.parse('2025-10-18T00:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;

function started(spec: Partial<PlanSpec> = {}): DeploymentState {
  const built = buildPlan({
    flag: 'phase_4_deployment',
    configFile: '/srv/flags.json',
    metrics: { kind: 'scrape', urls: ['http://a/metrics'] },
    ...spec,
  });
  if (!built.ok) throw new Error(built.error);
  return { ...startDeployment(built.value, hashPlan(built.value), START, 'ops@host').state, applied: true };
}

function verdict(kind: VerdictKind, atMs: number, options: { critical?: boolean; reasons?: string[] } = {}): Verdict {
  return {
    kind,
    at: new Date(atMs).toISOString(),
    windowStart: new Date(atMs - MINUTE).toISOString(),
    reasons: options.reasons ?? [`${kind} reason`],
    critical: options.critical ?? false,
    measurement: null,
    source: 'test',
  };
}

describe('startDeployment', () => {
  it('starts at stage 0 and journals the start with the plan', () => {
    const built = buildPlan({ flag: 'f', configFile: '/x', strategy: 'fast' });
    if (!built.ok) throw new Error(built.error);
    const { state, entry } = startDeployment(built.value, 'h', START, 'ops@host');
    expect(state).toMatchObject({
      id: 'f@2025-10-18T00:00:00.000Z',
      status: 'running',
      stageIndex: 0,
      percentage: 0,
      seq: 1,
      applied: false,
    });
    expect(entry).toMatchObject({
      seq: 1,
      event: 'start',
      from: null,
      to: { status: 'running', stage: 0, percentage: 0 },
      by: 'ops@host',
      flagsChanged: ['f'],
    });
  });

  it('completes a single-stage plan at once', () => {
    const built = buildPlan({ flag: 'f', configFile: '/x', strategy: 'instant' });
    if (!built.ok) throw new Error(built.error);
    expect(startDeployment(built.value, 'h', START, 'ops').state).toMatchObject({
      status: 'completed',
      percentage: 100,
      finishedAt: '2025-10-18T00:00:00.000Z',
    });
  });
});

describe('recordVerdict', () => {
  it('holds on a pass until the stage has been held for the step duration, then advances', () => {
    const state = started();
    const early = recordVerdict(state, verdict('pass', START + DAY - MINUTE), START + DAY - MINUTE);
    expect(early.entry).toBeNull();
    expect(early.state).toMatchObject({ stageIndex: 0, lastCheckAt: '2025-10-18T23:59:00.000Z' });

    const due = recordVerdict(early.state, verdict('pass', START + DAY), START + DAY);
    expect(due.state).toMatchObject({
      stageIndex: 1,
      percentage: 5,
      stageEnteredAt: '2025-10-19T00:00:00.000Z',
      applied: false,
      seq: 2,
    });
    expect(due.entry).toMatchObject({
      event: 'advance',
      reason: 'stage 0 held 1d with passing checks',
      from: { percentage: 0 },
      to: { percentage: 5 },
    });
    expect(due.entry?.thresholds).toEqual(state.plan.gates);
  });

  it('completes on reaching the last stage when there is no bake', () => {
    const state = { ...started({ strategy: 'fast', bakeMs: 0 }), stageIndex: 2, percentage: 50 };
    const { state: done, entry } = recordVerdict(state, verdict('pass', START + DAY), START + DAY);
    expect(done).toMatchObject({
      status: 'completed',
      percentage: 100,
      stageIndex: 3,
      finishedAt: '2025-10-19T00:00:00.000Z',
    });
    expect(entry?.event).toBe('complete');
  });

  it('bakes the last stage, judged like any other, and completes when the bake has passed', () => {
    const state = { ...started({ strategy: 'fast', bakeMs: 2 * MINUTE }), stageIndex: 2, percentage: 50 };
    const baking = recordVerdict(state, verdict('pass', START + DAY), START + DAY);
    expect(baking.state).toMatchObject({ status: 'running', percentage: 100, stageIndex: 3, finishedAt: null });
    expect(baking.entry?.event).toBe('advance');
    expect(nextCheckAtMs(baking.state)).toBe(START + DAY + MINUTE);
    const early = recordVerdict(baking.state, verdict('pass', START + DAY + MINUTE), START + DAY + MINUTE);
    expect(early).toMatchObject({ state: { status: 'running' }, entry: null });
    const done = recordVerdict(early.state, verdict('pass', START + DAY + 2 * MINUTE), START + DAY + 2 * MINUTE);
    expect(done.state).toMatchObject({ status: 'completed', percentage: 100, stageIndex: 3 });
    expect(done.entry).toMatchObject({ event: 'complete', reason: 'baked 2m at 100% with passing checks' });
  });

  it('pauses at once on a sample-ratio mismatch', () => {
    const mismatch = {
      ...verdict('inconclusive', START + MINUTE, { reasons: ['sample-ratio mismatch'] }),
      sampleRatioMismatch: true,
    };
    const { state, entry } = recordVerdict(started(), mismatch, START + MINUTE);
    expect(state).toMatchObject({ status: 'paused', reason: 'paused, attribution broken: sample-ratio mismatch' });
    expect(entry?.event).toBe('pause');
  });

  it('rolls back after failureLimit failed checks in a row, not before', () => {
    const first = recordVerdict(
      started(),
      verdict('fail', START + MINUTE, { reasons: ['error rate 2% > 1%'] }),
      START + MINUTE,
    );
    expect(first.state).toMatchObject({ status: 'running', consecutiveFailures: 1 });
    expect(first.entry).toMatchObject({ event: 'hold', reason: 'failed check 1/2: error rate 2% > 1%' });

    const second = recordVerdict(
      first.state,
      verdict('fail', START + 2 * MINUTE, { reasons: ['error rate 3% > 1%'] }),
      START + 2 * MINUTE,
    );
    expect(second.state).toMatchObject({
      status: 'rolled_back',
      percentage: 0,
      reason: '2 failed checks in a row: error rate 3% > 1%',
      applied: false,
    });
    expect(second.entry).toMatchObject({ event: 'rollback', flagsChanged: ['phase_4_deployment'] });
  });

  it('rolls back at once on a critical error rate', () => {
    const { state, entry } = recordVerdict(
      started(),
      verdict('fail', START + MINUTE, { critical: true, reasons: ['error rate 25% > 5× the 1% limit'] }),
      START + MINUTE,
    );
    expect(state.status).toBe('rolled_back');
    expect(entry?.reason).toBe('immediate rollback: error rate 25% > 5× the 1% limit');
  });

  it('lets a pass break a run of fails, but not an inconclusive check', () => {
    const failed = recordVerdict(started(), verdict('fail', START + MINUTE), START + MINUTE).state;
    const unknown = recordVerdict(failed, verdict('inconclusive', START + 2 * MINUTE), START + 2 * MINUTE).state;
    expect(unknown.consecutiveFailures).toBe(1);
    expect(recordVerdict(unknown, verdict('fail', START + 3 * MINUTE), START + 3 * MINUTE).state.status).toBe(
      'rolled_back',
    );
    expect(
      recordVerdict(failed, verdict('pass', START + 2 * MINUTE), START + 2 * MINUTE).state.consecutiveFailures,
    ).toBe(0);
  });

  it('never advances on inconclusive checks, journals the first of a run, and pauses at the limit', () => {
    let state = { ...started({ inconclusiveLimit: 3 }), stageEnteredAt: new Date(START - 2 * DAY).toISOString() };
    const entries = [];
    for (let check = 1; check <= 3; check += 1) {
      const next = recordVerdict(
        state,
        verdict('inconclusive', START + check * MINUTE, { reasons: ['12 requests < minimum 100'] }),
        START + check * MINUTE,
      );
      state = next.state;
      entries.push(next.entry?.event ?? null);
      expect(state.stageIndex).toBe(0);
    }
    expect(entries).toEqual(['hold', null, 'pause']);
    expect(state).toMatchObject({
      status: 'paused',
      reason: '3 inconclusive checks in a row: 12 requests < minimum 100',
    });
  });

  it('keeps the last ten verdicts', () => {
    let state = started();
    for (let check = 1; check <= 12; check += 1)
      state = recordVerdict(state, verdict('pass', START + check * 1000), START + check * 1000).state;
    expect(state.verdicts.map((item) => item.at)).toEqual(
      Array.from({ length: 10 }, (_, index) => new Date(START + (index + 3) * 1000).toISOString()),
    );
  });
});

describe('applyControlRequest', () => {
  const request = (action: ControlAction, reason: string | null = null) => ({
    id: 'r1',
    action,
    reason,
    by: 'ops@host',
    at: '2025-10-18T01:00:00.000Z',
  });

  it('pauses and resumes, naming who and why', () => {
    const paused = applyControlRequest(started(), request('pause', 'dashboards'), START + MINUTE);
    if (!paused.ok) throw new Error(paused.error);
    expect(paused.value.state).toMatchObject({ status: 'paused', reason: 'paused by ops@host: dashboards' });
    const resumed = applyControlRequest(paused.value.state, request('resume'), START + 2 * MINUTE);
    expect(resumed.ok && resumed.value.state).toMatchObject({ status: 'running', reason: null });
  });

  it('promotes one stage, or to the last with promote-full', () => {
    const one = applyControlRequest(started(), request('promote'), START + MINUTE);
    expect(one.ok && one.value.state).toMatchObject({ stageIndex: 1, percentage: 5, status: 'running' });
    const full = applyControlRequest(started(), request('promote-full'), START + MINUTE);
    expect(full.ok && full.value.state).toMatchObject({ stageIndex: 6, percentage: 100, status: 'completed' });
    expect(full.ok && full.value.entry?.event).toBe('promote');
  });

  it('rolls back any unfinished or completed deployment, with every rollback flag in the journal line', () => {
    const state = started({ rollbackFlags: ['aatc_system_enabled'] });
    const result = applyControlRequest(state, request('rollback', 'pager'), START + MINUTE);
    expect(result.ok && result.value.entry).toMatchObject({
      event: 'rollback',
      reason: 'manual rollback by ops@host: pager',
      flagsChanged: ['phase_4_deployment', 'aatc_system_enabled'],
    });
    const completed = { ...state, status: 'completed' as const };
    expect(applyControlRequest(completed, request('rollback'), START).ok).toBe(true);
  });

  it.each(['pause', 'resume'] as const)('accepts a second %s as already done, changing nothing', (action) => {
    const state = { ...started(), status: action === 'pause' ? ('paused' as const) : ('running' as const) };
    expect(applyControlRequest(state, request(action), START)).toEqual({ ok: true, value: { state, entry: null } });
  });

  it.each([
    ['promote', 'rolled_back', 'it is rolled back'],
    ['resume', 'completed', 'it is completed'],
    ['pause', 'completed', 'it is completed'],
  ] as const)('refuses to %s a %s deployment', (action, status, why) => {
    const result = applyControlRequest({ ...started(), status }, request(action), START);
    expect(result).toEqual({
      ok: false,
      error: `Cannot ${action} deployment phase_4_deployment@2025-10-18T00:00:00.000Z: ${why}`,
    });
  });
});

describe('nextCheckAtMs', () => {
  it('is one check interval after the last check', () => {
    const state = { ...started(), lastCheckAt: new Date(START + 5 * MINUTE).toISOString() };
    expect(nextCheckAtMs(state)).toBe(START + 6 * MINUTE);
  });

  it('is the end of the stage hold when that comes before the next interval', () => {
    const state = { ...started(), lastCheckAt: new Date(START + DAY - 30_000).toISOString() };
    expect(nextCheckAtMs(state)).toBe(START + DAY);
  });

  it('is only the end of the hold without a health gate', () => {
    expect(nextCheckAtMs(started({ metrics: null }))).toBe(START + DAY);
  });

  it('is never for a paused deployment', () => {
    expect(nextCheckAtMs({ ...started(), status: 'paused' })).toBe(Infinity);
  });
});
