import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, EvaluationContext } from '@openfeature/server-sdk';
import type { FaultInjector } from './fault-injector.js';
import { readJsonBody, rejectUnread, sendJson } from './http-io.js';
import { readFeatures } from './orchestrator-flags.js';
import { checkRequestGate, type Access } from './request-gate.js';
import { dispatchTask, type Pipeline } from './task-dispatch.js';
import type { TaskRouter } from './task-router.js';
import type { TaskRecord, TaskStore } from './task-store.js';
import { parseTask } from './task.js';

/** What the task routes need: the flags client and this instance's state. */
export interface TaskService {
  readonly flags: Client;
  readonly router: TaskRouter;
  readonly store: TaskStore;
  readonly faults: FaultInjector;
  readonly log: (line: string) => void;
  readonly now: () => number;
  readonly countTask: (mode: 'v1' | 'v2', pipeline: Pipeline) => void;
}

/** Lets the request through the emergency flags, or answers it; `true` when it was answered. */
async function turnedAway(
  service: TaskService,
  request: IncomingMessage,
  response: ServerResponse,
  context: EvaluationContext,
  access: Access,
): Promise<boolean> {
  const gate = await checkRequestGate(service.flags, context, access);
  if (gate.kind === 'open') return false;
  const headers: Record<string, string> =
    gate.retryAfterSeconds === undefined ? {} : { 'retry-after': String(gate.retryAfterSeconds) };
  rejectUnread(request, response, gate.status, { error: gate.flag, message: gate.message }, headers);
  service.log(`${request.method} ${request.url} ${gate.status} rejected by ${gate.flag}${describeCaller(context)}`);
  return true;
}

/** `POST /tasks`: route a task by this caller's flags, dispatch it, keep it. */
export async function createTask(
  service: TaskService,
  request: IncomingMessage,
  response: ServerResponse,
  context: EvaluationContext,
): Promise<void> {
  if (await turnedAway(service, request, response, context, 'write')) return;
  const body = await readJsonBody(request);
  const parsed = body.ok ? parseTask(body.value) : { ok: false as const, message: body.message };
  if (!parsed.ok) return sendJson(response, 400, { error: 'bad_request', message: parsed.message });
  const features = await readFeatures(service.flags, context);
  const decision = service.router.route(parsed.task, features);
  const dispatched = dispatchTask(parsed.task.priority, features.phase4, service.faults);
  if (!dispatched.ok) {
    service.log(
      `POST /tasks 500 mode=${decision.mode} pipeline=${dispatched.pipeline}: ${dispatched.message}${describeCaller(context)}`,
    );
    return sendJson(response, 500, {
      error: 'dispatch_failed',
      pipeline: dispatched.pipeline,
      message: dispatched.message,
    });
  }
  await sleep(parsed.task.workMs);
  const record: TaskRecord = {
    id: service.store.nextId(),
    createdAt: new Date(service.now()).toISOString(),
    task: parsed.task,
    context,
    dispatch: dispatched.dispatch,
    ...decision,
  };
  service.store.add(record);
  service.countTask(decision.mode, dispatched.dispatch.pipeline);
  service.log(`POST /tasks 201 ${describeDecision(record)}${describeCaller(context)}`);
  sendJson(response, 201, record);
}

/** `GET /tasks/:id` and `GET /tasks`: reads, served in read-only mode too. */
export async function readTasks(
  service: TaskService,
  request: IncomingMessage,
  response: ServerResponse,
  context: EvaluationContext,
  id: string | null,
): Promise<void> {
  if (await turnedAway(service, request, response, context, 'read')) return;
  if (id === null) return sendJson(response, 200, { tasks: service.store.latest(50) });
  const record = service.store.get(id);
  if (record === undefined) return sendJson(response, 404, { error: 'not_found', message: `No task ${id}` });
  sendJson(response, 200, record);
}

function describeDecision(record: TaskRecord): string {
  const pipeline = `pipeline=${record.dispatch.pipeline}`;
  const cost = `cost=$${record.estimatedCostUsd}`;
  if (record.mode === 'v1')
    return `mode=v1 (fallback: orchestration off) ${pipeline} queue=${record.queue} model=${record.model} ${cost}`;
  const models = [...new Set(record.steps.map((step) => step.model))].join('+');
  return `mode=v2 ${pipeline} planner=${record.planner} models=${models} ${cost} saving=${record.savingPercent}% cache=${record.cache}`;
}

function describeCaller(context: EvaluationContext): string {
  const parts = Object.entries(context).map(
    ([key, value]) => `${key === 'targetingKey' ? 'user' : key}=${String(value)}`,
  );
  return parts.length === 0 ? '' : ` ${parts.join(' ')}`;
}
