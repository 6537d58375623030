import type { ControlRequest } from '../../deploy/requests/control-request.js';
import {
  describeStatus,
  type DeploymentState,
  type DeploymentStatus,
  type JournalEntry,
  type RequestOutcome,
  type Verdict,
} from '../../deploy/state/deployment-state.js';
import type { DeploymentEvents, RunOutcome } from '../../deploy/controller/deployment.js';
import type { Resolution } from '../../deploy/controller/resolve-deployment.js';
import type { FleetDelivery } from '../../deploy/persistence/fleet-delivery.js';
import { renderEntry, renderPlan, renderProgress, renderVerdict } from './deploy-render.js';
import {
  fleetDeliveredReport,
  fleetWaitReport,
  FleetWaitThrottle,
  renderFleetDelivered,
  renderFleetWait,
} from './fleet-wait-lines.js';

/** `tty`: a live progress line; `plain`: one line per event; `json`: one JSON object per line. */
export type OutputMode = 'tty' | 'plain' | 'json';

export function outputMode(json: boolean | undefined): OutputMode {
  if (json === true) return 'json';
  return process.stdout.isTTY ? 'tty' : 'plain';
}

const CLEAR_LINE = '\r\x1b[2K';

/** Prints a deployment's events in the chosen mode; warnings always go to stderr as text. */
export class DeployReporter implements DeploymentEvents {
  private progress: { timer: NodeJS.Timeout; state: () => DeploymentState } | undefined;
  /** Transitions made while opening (the start itself) wait here until the plan is printed. */
  private held: JournalEntry[] | undefined;
  private readonly fleetWait = new FleetWaitThrottle();

  constructor(
    private readonly mode: OutputMode,
    private readonly now: () => number,
    options: { planFirst?: boolean } = {},
  ) {
    this.held = options.planFirst === true ? [] : undefined;
  }

  plan(state: DeploymentState, how: Resolution['kind']): void {
    if (this.mode === 'json') {
      const { id, planHash, plan, stageIndex, stageEnteredAt } = state;
      this.json({ event: 'plan', how, deployment: id, planHash, plan, stage: stageIndex, stageEnteredAt });
    } else {
      this.lines(renderPlan(state, how));
    }
    this.skipPlan();
  }

  /** Prints what waited for the plan, without the plan (a routine `reconcile` tick stays short). */
  skipPlan(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const entry of held) this.transition(entry);
  }

  transition(entry: JournalEntry): void {
    if (this.held !== undefined) this.held.push(entry);
    else if (this.mode === 'json') this.json({ event: 'transition', entry });
    else this.lines([renderEntry(entry)]);
  }

  check(verdict: Verdict): void {
    if (this.mode === 'json') this.json({ event: 'check', verdict });
    else if (this.mode === 'plain') this.lines([`${verdict.at}  check ${renderVerdict(verdict)}`]);
    else this.redraw();
  }

  /** A stage waiting for the fleet: a line (or object) when who lags changes, and every few seconds meanwhile. */
  waiting(delivery: FleetDelivery, state: DeploymentState, waitedMs: number, timeoutMs?: number): void {
    const nowMs = this.now();
    const report = fleetWaitReport(delivery, state, waitedMs, timeoutMs, nowMs);
    if (!this.fleetWait.shouldPrint(report, nowMs)) return;
    if (this.mode === 'json') this.json(report);
    else this.lines([renderFleetWait(report, delivery)]);
  }

  /** The stage reached every stream of the fleet: its clock starts. */
  delivered(delivery: FleetDelivery, state: DeploymentState): void {
    this.fleetWait.reset();
    const report = fleetDeliveredReport(delivery, state, this.now());
    if (this.mode === 'json') this.json(report);
    else this.lines([renderFleetDelivered(report)]);
  }

  /** An applied request shows as its transition; only a refused one needs a line of its own. */
  request(outcome: RequestOutcome, request: ControlRequest): void {
    if (this.mode === 'json') this.json({ event: 'request', request, outcome });
    else if (!outcome.applied) this.lines([`request ${request.action} by ${request.by} refused: ${outcome.message}`]);
  }

  /** A line of the command's own (who drives the rollout): text, or `{event: "note"}`. */
  note(message: string): void {
    if (this.mode === 'json') this.json({ event: 'note', message });
    else this.lines([message]);
  }

  warning(message: string): void {
    this.clearProgress();
    process.stderr.write(`warning: ${message}\n`);
    this.redraw();
  }

  /** The closing line or object of a run. */
  result(outcome: RunOutcome | DeploymentStatus, state: DeploymentState, exitCode: number): void {
    this.stopProgress();
    if (this.mode === 'json') this.json({ event: 'result', outcome, exitCode, state });
    else
      this.lines([
        `${describeStatus(outcome)}: ${state.plan.flag} at ${state.percentage}% (stage ${state.stageIndex}/${state.plan.steps.length - 1})${state.reason === null ? '' : `: ${state.reason}`}`,
      ]);
  }

  /** On a terminal, keeps a live line refreshed every second. */
  startProgress(state: () => DeploymentState): void {
    if (this.mode !== 'tty') return;
    const timer = setInterval(() => this.redraw(), 1000);
    timer.unref();
    this.progress = { timer, state };
    this.redraw();
  }

  stopProgress(): void {
    if (this.progress === undefined) return;
    clearInterval(this.progress.timer);
    this.clearProgress();
    this.progress = undefined;
  }

  private lines(lines: readonly string[]): void {
    this.clearProgress();
    process.stdout.write(lines.map((line) => `${line}\n`).join(''));
    this.redraw();
  }

  private json(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value)}\n`);
  }

  private clearProgress(): void {
    if (this.progress !== undefined) process.stdout.write(CLEAR_LINE);
  }

  private redraw(): void {
    if (this.progress === undefined) return;
    const columns = process.stdout.columns ?? 120;
    process.stdout.write(`${CLEAR_LINE}${renderProgress(this.progress.state(), this.now()).slice(0, columns - 1)}`);
  }
}
