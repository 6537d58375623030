import type { FaultInjector } from './fault-injector.js';
import type { Priority } from './task.js';

/** `phase-4`: the production dispatcher being rolled out by `phase_4_deployment`; `phase-3`: the one it replaces. */
export type Pipeline = 'phase-3' | 'phase-4';

export interface Dispatch {
  readonly pipeline: Pipeline;
  /** Phase 4 gives every task a deadline and a retry budget; phase 3 ran tasks to completion, once. */
  readonly deadlineMs: number | null;
  readonly retries: number;
}

const DEADLINES_MS: Readonly<Record<Priority, number>> = {
  critical: 30_000,
  high: 60_000,
  normal: 300_000,
  low: 3_600_000,
};

export type DispatchOutcome =
  | { readonly ok: true; readonly dispatch: Dispatch }
  | { readonly ok: false; readonly pipeline: Pipeline; readonly message: string };

/** Hands a routed task to the pipeline the `phase_4_deployment` flag chose for this caller. */
export function dispatchTask(priority: Priority, phase4: boolean, faults: FaultInjector): DispatchOutcome {
  if (!phase4) return { ok: true, dispatch: { pipeline: 'phase-3', deadlineMs: null, retries: 0 } };
  if (faults.nextFails())
    return { ok: false, pipeline: 'phase-4', message: 'phase-4 dispatcher failed (injected fault)' };
  return { ok: true, dispatch: { pipeline: 'phase-4', deadlineMs: DEADLINES_MS[priority], retries: 2 } };
}
