import type { EvaluationContext } from '@openfeature/server-sdk';
import type { Dispatch } from './task-dispatch.js';
import type { RoutingDecision } from './task-router.js';
import type { Task } from './task.js';

/** A routed task as stored and returned. */
export type TaskRecord = {
  readonly id: string;
  readonly createdAt: string;
  readonly task: Task;
  readonly context: EvaluationContext;
  readonly dispatch: Dispatch;
} & RoutingDecision;

/** The tasks this instance accepted, newest kept (the example holds them in memory only). */
export class TaskStore {
  readonly #tasks = new Map<string, TaskRecord>();
  #next = 1;

  constructor(private readonly capacity = 1000) {}

  nextId(): string {
    return `task-${this.#next++}`;
  }

  add(record: TaskRecord): void {
    this.#tasks.set(record.id, record);
    if (this.#tasks.size > this.capacity) this.#tasks.delete(this.#tasks.keys().next().value as string);
  }

  get(id: string): TaskRecord | undefined {
    return this.#tasks.get(id);
  }

  latest(count: number): TaskRecord[] {
    return [...this.#tasks.values()].slice(-count).reverse();
  }
}
