import { assignAgent, type Assignment } from './agent-assignment.js';
import { costUsd, DEFAULT_MODEL, MODELS, roundUsd, tierAbove, tierFor, type ModelTier } from './model-catalog.js';
import type { Features } from './orchestrator-flags.js';
import { RoutingCache } from './routing-cache.js';
import { planWithHeuristics, planWithLlm, type PlannedStep, type Planner } from './task-planner.js';
import { estimateTokens, type Priority, type Task } from './task.js';

/** v1: the fallback that predates orchestration — priority queues and one model, no cost optimisation. */
export interface V1Decision {
  readonly mode: 'v1';
  readonly queue: 'express' | 'standard' | 'batch';
  readonly model: string;
  readonly estimatedTokens: number;
  readonly estimatedCostUsd: number;
  readonly costOptimization: 'disabled';
}

export interface StepRoute {
  readonly text: string;
  readonly difficulty: number;
  readonly tier: ModelTier;
  readonly model: string;
  readonly agent: string;
  readonly estimatedTokens: number;
  readonly estimatedCostUsd: number;
}

/** v2: every step on the smallest model fit for it, with the saving against the biggest model. */
export interface V2Decision {
  readonly mode: 'v2';
  readonly planner: Planner;
  readonly steps: readonly StepRoute[];
  readonly estimatedCostUsd: number;
  readonly baselineCostUsd: number;
  readonly savingUsd: number;
  readonly savingPercent: number;
  readonly createdAgents: readonly string[];
  readonly unsupported: readonly string[];
  /** `off` when performance optimisations are off; a hit skips planning altogether. */
  readonly cache: 'hit' | 'miss' | 'off';
}

export type RoutingDecision = V1Decision | V2Decision;

const QUEUES: Readonly<Record<Priority, V1Decision['queue']>> = {
  critical: 'express',
  high: 'express',
  normal: 'standard',
  low: 'batch',
};

/** Routes tasks by the features of each request; one router per process keeps the routing cache. */
export class TaskRouter {
  readonly #cache = new RoutingCache<V2Decision>(500);

  route(task: Task, features: Features): RoutingDecision {
    return features.orchestration ? this.#routeV2(task, features) : routeV1(task);
  }

  #routeV2(task: Task, features: Features): V2Decision {
    if (!features.performance) return { ...planV2(task, features), cache: 'off' };
    const key = `${task.priority}|${features.llm}|${features.aatc}|${task.description.toLowerCase()}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return { ...cached, cache: 'hit' };
    const decision: V2Decision = { ...planV2(task, features), cache: 'miss' };
    this.#cache.set(key, decision);
    return decision;
  }
}

export function routeV1(task: Task): V1Decision {
  const estimatedTokens = estimateTokens(task.description, 0.5);
  return {
    mode: 'v1',
    queue: QUEUES[task.priority],
    model: DEFAULT_MODEL.name,
    estimatedTokens,
    estimatedCostUsd: costUsd(DEFAULT_MODEL, estimatedTokens),
    costOptimization: 'disabled',
  };
}

function planV2(task: Task, features: Features): Omit<V2Decision, 'cache'> {
  const planner: Planner = features.llm ? 'llm' : 'heuristic';
  const planned = planner === 'llm' ? planWithLlm(task.description) : planWithHeuristics(task.description);
  const routed = planned.map((step) => routeStep(step, task.priority, features.aatc));
  const steps = routed.map(({ route }) => route);
  const estimatedCostUsd = roundUsd(steps.reduce((sum, step) => sum + step.estimatedCostUsd, 0));
  const baselineCostUsd = roundUsd(routed.reduce((sum, { baselineCostUsd: cost }) => sum + cost, 0));
  const savingUsd = roundUsd(baselineCostUsd - estimatedCostUsd);
  return {
    mode: 'v2',
    planner,
    steps,
    estimatedCostUsd,
    baselineCostUsd,
    savingUsd,
    savingPercent: baselineCostUsd > 0 ? Math.round((savingUsd / baselineCostUsd) * 1000) / 10 : 0,
    createdAgents: [
      ...new Set(routed.flatMap(({ assignment }) => (assignment.agent.dynamic ? [assignment.agent.name] : []))),
    ],
    unsupported: [
      ...new Set(routed.flatMap(({ assignment }) => (assignment.unsupported === null ? [] : [assignment.unsupported]))),
    ],
  };
}

/** One step on the smallest model fit for it (one tier up for critical work), and what the largest would cost. */
function routeStep(
  step: PlannedStep,
  priority: Priority,
  createAgents: boolean,
): { route: StepRoute; assignment: Assignment; baselineCostUsd: number } {
  const fit = tierFor(step.difficulty);
  const model = MODELS[priority === 'critical' ? tierAbove(fit) : fit];
  const assignment = assignAgent(step.text, createAgents);
  const estimatedTokens = estimateTokens(step.text, step.difficulty);
  const route: StepRoute = {
    text: step.text,
    difficulty: step.difficulty,
    tier: model.tier,
    model: model.name,
    agent: assignment.agent.name,
    estimatedTokens,
    estimatedCostUsd: costUsd(model, estimatedTokens),
  };
  return { route, assignment, baselineCostUsd: costUsd(DEFAULT_MODEL, estimatedTokens) };
}
