import { DeployError } from '../deploy-error.js';
import { isFinished, type DeploymentState } from '../state/deployment-state.js';
import { buildPlan, specFromPlan } from '../plan/plan.js';
import type { DeploymentPlan, PlanSpec } from '../plan/deployment-plan.js';
import { hashPlan } from '../plan/plan-hash.js';

/** The plan options a command was given; only what the user typed, no defaults. */
export type PlanOptions = Partial<PlanSpec>;

/** What opening a deployment comes to, given the stored state and the command's options. */
export type Resolution =
  | { readonly kind: 'new'; readonly plan: DeploymentPlan }
  | { readonly kind: 'resume'; readonly state: DeploymentState }
  | { readonly kind: 'change'; readonly state: DeploymentState; readonly plan: DeploymentPlan }
  | { readonly kind: 'finished'; readonly state: DeploymentState };

export interface ResolveOptions {
  /** `null` when the command names no plan at all (control commands, a bare `reconcile`). */
  readonly options: PlanOptions | null;
  readonly acceptPlanChange: boolean;
  /** Start anew over a finished deployment. */
  readonly restart: boolean;
  /** Roll out even a flag that would reach nobody, or an emergency flag. @default false */
  readonly force?: boolean;
  /** Used when neither the options nor a stored plan name the flag file. */
  readonly defaultConfigFile: string;
  readonly statePath: string;
}

/**
 * Decides between a new deployment, resuming the stored one, accepting a changed plan, or nothing
 * to do. On resume, options the user gave must agree with the stored plan; options left out keep
 * the stored values (so `deploy start --flag f` resumes whatever `f` was started with).
 */
export function resolveDeployment(stored: DeploymentState | undefined, request: ResolveOptions): Resolution {
  const { options } = request;
  if (stored === undefined || (isFinished(stored) && request.restart)) {
    if (options === null || options.flag === undefined) {
      throw new DeployError(
        'state',
        `No deployment in progress (no state at ${request.statePath}); start one with deploy start --flag <key>`,
      );
    }
    return { kind: 'new', plan: mustBuild({ configFile: request.defaultConfigFile, ...options, flag: options.flag }) };
  }
  if (options?.flag !== undefined && options.flag !== stored.plan.flag) {
    if (isFinished(stored))
      return {
        kind: 'new',
        plan: mustBuild({ configFile: request.defaultConfigFile, ...options, flag: options.flag }),
      };
    throw new DeployError(
      'state',
      `${request.statePath} holds the ${stored.status} deployment of ${stored.plan.flag}; finish or roll it back before deploying ${options.flag}`,
    );
  }
  if (isFinished(stored) || options === null)
    return isFinished(stored) ? { kind: 'finished', state: stored } : { kind: 'resume', state: stored };
  const plan = mustBuild(mergeOptions(stored.plan, options));
  if (hashPlan(plan) === stored.planHash) return { kind: 'resume', state: stored };
  if (request.acceptPlanChange) return { kind: 'change', state: stored, plan };
  throw new DeployError(
    'state',
    `The plan differs from the one ${stored.id} was started with (${describePlanChange(stored.plan, plan)}); ` +
      'run with the original options, or pass --accept-plan-change to continue under the new plan',
  );
}

/** The top-level plan settings that differ, e.g. `steps: [0,50,100] → [0,25,100]`. */
export function describePlanChange(before: DeploymentPlan, after: DeploymentPlan): string {
  const keys = Object.keys(after) as (keyof DeploymentPlan)[];
  const changed = keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  return changed.map((key) => `${key}: ${JSON.stringify(before[key])} → ${JSON.stringify(after[key])}`).join('; ');
}

/** The stored plan's settings, overridden by the options given; a new strategy drops the old steps. */
function mergeOptions(stored: DeploymentPlan, options: PlanOptions): PlanSpec {
  const base = specFromPlan(stored);
  const strategyChanged = options.strategy !== undefined && options.strategy !== stored.strategy;
  const { steps: _steps, stepDurationMs: _duration, ...rest } = base;
  return { ...(strategyChanged ? rest : base), ...options, flag: stored.flag };
}

function mustBuild(spec: PlanSpec): DeploymentPlan {
  const built = buildPlan(spec);
  if (!built.ok) throw new DeployError('usage', built.error);
  return built.value;
}
