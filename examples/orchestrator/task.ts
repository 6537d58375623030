/** How urgent a task is; v1 routes by this alone. */
export const PRIORITIES = ['low', 'normal', 'high', 'critical'] as const;

export type Priority = (typeof PRIORITIES)[number];

/** A task as submitted to `POST /tasks`. */
export interface Task {
  readonly description: string;
  readonly priority: Priority;
  /** Simulated execution time, so that requests can be in flight while a flag flips. */
  readonly workMs: number;
}

export const MAX_WORK_MS = 10_000;

/** The body of `POST /tasks`, checked; the message names the bad field. */
export function parseTask(body: unknown): { ok: true; task: Task } | { ok: false; message: string } {
  if (typeof body !== 'object' || body === null) return { ok: false, message: 'expected a JSON object' };
  const { description, priority = 'normal', work_ms: workMs = 0 } = body as Record<string, unknown>;
  if (typeof description !== 'string' || description.trim() === '')
    return { ok: false, message: 'description: expected a non-empty string' };
  if (!(PRIORITIES as readonly unknown[]).includes(priority))
    return { ok: false, message: `priority: expected one of ${PRIORITIES.join(', ')}` };
  if (typeof workMs !== 'number' || !(workMs >= 0 && workMs <= MAX_WORK_MS))
    return { ok: false, message: `work_ms: expected 0-${MAX_WORK_MS}` };
  return { ok: true, task: { description: description.trim(), priority: priority as Priority, workMs } };
}

/** The number of tokens a step is expected to use: its prompt plus an answer that grows with difficulty. */
export function estimateTokens(text: string, difficulty: number): number {
  return Math.ceil(text.length / 4) + 200 + Math.round(1800 * difficulty);
}
