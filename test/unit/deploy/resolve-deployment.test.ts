import { describe, expect, it } from 'vitest';
import { DeployError } from '../../../src/deploy/deploy-error.js';
import type { DeploymentState } from '../../../src/deploy/state/deployment-state.js';
import { buildPlan } from '../../../src/deploy/plan/plan.js';
import { hashPlan } from '../../../src/deploy/plan/plan-hash.js';
import {
  resolveDeployment,
  type PlanOptions,
  type ResolveOptions,
} from '../../../src/deploy/controller/resolve-deployment.js';
import { startDeployment } from '../../../src/deploy/state/transitions.js';

const CONFIG = '/srv/config/feature_flags.json';

function stored(options: PlanOptions = {}, status: DeploymentState['status'] = 'running'): DeploymentState {
  const built = buildPlan({ flag: 'phase_4_deployment', configFile: CONFIG, ...options });
  if (!built.ok) throw new Error(built.error);
  const { state } = startDeployment(built.value, hashPlan(built.value), Date.parse('2025-10-18T00:00:00Z'), 'ops');
  return { ...state, status };
}

function resolve(state: DeploymentState | undefined, options: PlanOptions | null, extra: Partial<ResolveOptions> = {}) {
  return resolveDeployment(state, {
    options,
    acceptPlanChange: false,
    restart: false,
    defaultConfigFile: CONFIG,
    statePath: '/srv/state.json',
    ...extra,
  });
}

function errorOf(action: () => unknown): DeployError {
  try {
    action();
  } catch (error) {
    if (error instanceof DeployError) return error;
  }
  throw new Error('expected a DeployError');
}

describe('resolveDeployment', () => {
  it('starts a new deployment when there is no state, with the default flag file', () => {
    const resolution = resolve(undefined, { flag: 'phase_4_deployment', strategy: 'fast' });
    expect(resolution.kind).toBe('new');
    expect(resolution.kind === 'new' && resolution.plan).toMatchObject({
      flag: 'phase_4_deployment',
      configFile: CONFIG,
      strategy: 'fast',
    });
  });

  it('needs a flag to start one', () => {
    expect(errorOf(() => resolve(undefined, null))).toMatchObject({
      kind: 'state',
      message: 'No deployment in progress (no state at /srv/state.json); start one with deploy start --flag <key>',
    });
  });

  it('resumes with the options left out taken from the stored plan', () => {
    const state = stored({ strategy: 'fast', stepDurationMs: 3_600_000 });
    expect(resolve(state, { flag: 'phase_4_deployment' })).toEqual({ kind: 'resume', state });
    expect(resolve(state, null)).toEqual({ kind: 'resume', state });
    expect(resolve(state, { strategy: 'fast', checkIntervalMs: 60_000 })).toEqual({ kind: 'resume', state });
  });

  it('refuses a changed plan, naming what changed, unless the change is accepted', () => {
    const state = stored({ strategy: 'custom', steps: [0, 50, 100] });
    expect(errorOf(() => resolve(state, { steps: [0, 25, 100] }))).toMatchObject({
      kind: 'state',
      message: expect.stringContaining('(steps: [0,50,100] → [0,25,100]);') as unknown as string,
    });
    const accepted = resolve(state, { steps: [0, 25, 100] }, { acceptPlanChange: true });
    expect(accepted.kind === 'change' && accepted.plan.steps).toEqual([0, 25, 100]);
  });

  it('drops the stored steps when the strategy changes', () => {
    const state = stored({ strategy: 'custom', steps: [0, 50, 100] });
    const accepted = resolve(state, { strategy: 'fast' }, { acceptPlanChange: true });
    expect(accepted.kind === 'change' && accepted.plan.steps).toEqual([0, 25, 50, 100]);
  });

  it('leaves a finished deployment alone unless restarted, and restarts it from the options alone', () => {
    const done = stored({ strategy: 'fast' }, 'completed');
    expect(resolve(done, { flag: 'phase_4_deployment' })).toEqual({ kind: 'finished', state: done });
    const restarted = resolve(done, { flag: 'phase_4_deployment' }, { restart: true });
    expect(restarted.kind === 'new' && restarted.plan.strategy).toBe('safe');
  });

  it('refuses another flag while a deployment runs, and allows it once that one is finished', () => {
    expect(errorOf(() => resolve(stored(), { flag: 'aatc_system_enabled' })).message).toBe(
      '/srv/state.json holds the running deployment of phase_4_deployment; finish or roll it back before deploying aatc_system_enabled',
    );
    expect(resolve(stored({}, 'rolled_back'), { flag: 'aatc_system_enabled' }).kind).toBe('new');
  });

  it('reports a bad option as a usage error', () => {
    expect(errorOf(() => resolve(undefined, { flag: 'f', steps: [5, 1] }))).toMatchObject({
      kind: 'usage',
      message: 'steps must increase: 5 is followed by 1',
    });
  });
});
