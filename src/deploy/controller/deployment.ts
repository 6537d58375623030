import { hostname, userInfo } from 'node:os';
import { nextCheckAtMs } from '../gates/check-schedule.js';
import type { Clock } from '../clock.js';
import { applyControlRequest, type ControlRequest } from '../requests/control-request.js';
import { DeployError } from '../deploy-error.js';
import {
  STATE_HISTORY_LIMIT,
  type DeploymentState,
  type JournalEntry,
  type RequestOutcome,
  type Verdict,
} from '../state/deployment-state.js';
import { cohortSeriesOf, judgeCheck } from '../gates/cohort-gate.js';
import { ungatedVerdict } from '../gates/health-gate.js';
import { catchUpJournal } from '../state/journal.js';
import { describeHolder, type HeldLock } from '../state/lock-file.js';
import type { MetricsSource } from '../metrics/metrics-reading.js';
import type { MetricsPlan } from '../metrics/metrics-plan.js';
import type { DeploymentStore } from '../persistence/deployment-store.js';
import { record, recordVerdict, rollBack, type Transition } from '../state/transitions.js';
import { awaitingDelivery, deliveryAfterWrite, markDelivered, waitStartedAtMs } from '../state/stage-delivery.js';
import { describeLagging, type FleetDelivery } from '../persistence/fleet-delivery.js';
import { formatDuration } from '../plan/duration.js';

/** What a deployment tells its caller as it goes; every callback is optional. */
export interface DeploymentEvents {
  transition?(entry: JournalEntry, state: DeploymentState): void;
  check?(verdict: Verdict, state: DeploymentState): void;
  request?(outcome: RequestOutcome, request: ControlRequest): void;
  warning?(message: string): void;
  /** At each look while the stage waits for replicas that lag (`waitedMs` of `timeoutMs` since the stage was written). */
  waiting?(delivery: FleetDelivery, state: DeploymentState, waitedMs: number, timeoutMs: number): void;
  /** Every live replica has sent the stage's revision to all its streams: the stage's clock starts. */
  delivered?(delivery: FleetDelivery, state: DeploymentState): void;
}

/** The outside world of a deployment, injected. */
export interface DeploymentContext {
  readonly store: DeploymentStore;
  readonly clock: Clock;
  readonly events: DeploymentEvents;
  readonly createSource: (metrics: MetricsPlan) => MetricsSource;
  /** How often a waiting controller looks for queued requests. @default 250 */
  readonly pollMs?: number;
}

/** How a foreground run ended. */
export type RunOutcome = 'completed' | 'rolled_back' | 'paused' | 'interrupted';

/** `user@host`: who typed a command. */
export function currentUser(): string {
  return `${userInfo().username}@${hostname()}`;
}

/**
 * One deployment held open by this process: it owns the lock, and every change goes state file
 * first, flag file second, journal third (see {@link Deployment.commit}).
 */
export class Deployment {
  private current: DeploymentState;
  private source: MetricsSource | null | undefined;

  private constructor(
    private readonly context: DeploymentContext,
    private readonly lock: HeldLock,
    state: DeploymentState,
  ) {
    this.current = state;
  }

  get state(): DeploymentState {
    return this.current;
  }

  /**
   * Takes the lock (throws a `lock` error naming the holder when it is taken; a dead
   * holder's lock is taken over with a warning), then hands the stored state, or `undefined`,
   * to `prepare`, which returns the first transition or the state to carry on from.
   */
  static async open(
    context: DeploymentContext,
    command: string,
    prepare: (stored: DeploymentState | undefined) => Promise<Transition | DeploymentState>,
  ): Promise<Deployment> {
    const { store, clock, events } = context;
    const attempt = await store.tryAcquireLock(command, clock.now());
    if (!attempt.acquired)
      throw new DeployError('lock', `Deployment is locked by ${describeHolder(attempt.holder)}: ${store.location}`);
    if (attempt.tookOverFrom !== null) {
      events.warning?.(`took over the stale lock of ${describeHolder(attempt.tookOverFrom)} (that process is gone)`);
    }
    try {
      await store.cleanUp();
      const stored = await store.readState();
      const prepared = await prepare(stored);
      if (stored !== undefined) await catchUpJournal(store, stored);
      const deployment = new Deployment(context, attempt.lock, 'entry' in prepared ? prepared.state : prepared);
      if ('entry' in prepared) await deployment.commit(prepared);
      else if (!prepared.applied) await deployment.applyToLayer(prepared);
      return deployment;
    } catch (cause) {
      await attempt.lock.release();
      throw cause;
    }
  }

  /** Releases the lock. */
  async close(): Promise<void> {
    await this.lock.release();
  }

  /** When the next check is due (epoch ms); `Infinity` when paused or finished. */
  nextCheckAtMs(): number {
    return nextCheckAtMs(this.current);
  }

  /** The lock this deployment is held under (its epoch is the fencing token). */
  get holder(): HeldLock['holder'] {
    return this.lock.holder;
  }

  /**
   * One reconcile step: apply queued requests; stop if someone changed the flag by hand; when a
   * check is due, run it and advance, hold or roll back on its verdict.
   */
  async tick(): Promise<void> {
    await this.drainRequests();
    if (await this.stopOnDrift()) return;
    await this.restoreStage();
    if (await this.awaitFleet()) return;
    const nowMs = this.context.clock.now();
    if (nowMs < nextCheckAtMs(this.current)) return;
    await this.check(nowMs);
  }

  /** Runs until the deployment completes, rolls back, pauses, or `signal` aborts. */
  async run(signal: AbortSignal): Promise<RunOutcome> {
    const pollMs = this.context.pollMs ?? 250;
    for (;;) {
      if (signal.aborted) return 'interrupted';
      await this.tick();
      const { status } = this.current;
      if (status !== 'running') return status;
      const waitMs = Math.min(pollMs, this.nextCheckAtMs() - this.context.clock.now());
      await this.context.clock.sleep(Math.max(0, waitMs), signal);
    }
  }

  /** Applies every queued request in order, recording each outcome in the state. */
  async drainRequests(): Promise<void> {
    for (const queued of await this.context.store.listRequests()) {
      const { request } = queued;
      if (!this.current.requests.some((outcome) => outcome.id === request.id)) {
        const result = applyControlRequest(this.current, request, this.context.clock.now());
        const outcome: RequestOutcome = result.ok
          ? { id: request.id, applied: true, message: result.value.entry?.reason ?? `nothing to ${request.action}` }
          : { id: request.id, applied: false, message: result.error };
        const transition = result.ok ? result.value : { state: this.current, entry: null };
        const requests = [...transition.state.requests, outcome].slice(-STATE_HISTORY_LIMIT);
        await this.commit({ state: { ...transition.state, requests }, entry: transition.entry });
        this.context.events.request?.(outcome, request);
      }
      await this.context.store.removeRequest(queued);
    }
  }

  /**
   * Makes a transition durable: the state first (marked not yet applied), then the flag file,
   * then the state again as applied, then the journal. A crash at any point leaves a state that
   * the next run completes: it re-applies the flag file and appends the missing journal line. A
   * stage the flag file cannot take (it was broken by hand) pauses the deployment instead.
   */
  async commit(transition: Transition): Promise<void> {
    const blocked = await this.context.store.findStageProblem(transition.state);
    const effective =
      blocked === undefined ? transition : this.pauseTransition(`flag file cannot be updated: ${blocked}`);
    this.current = effective.state;
    await this.saveState(effective.state);
    if (!effective.state.applied) await this.applyToLayer(effective.state);
    if (effective.entry !== null) {
      await this.context.store.appendJournal(effective.entry);
      this.context.events.transition?.(effective.entry, this.current);
    }
  }

  private async applyToLayer(state: DeploymentState): Promise<void> {
    const flagBase = await this.context.store.writeStage(state, this.lock);
    const delivery =
      this.context.store.fleet === undefined ? undefined : deliveryAfterWrite(state, this.context.clock.now());
    this.current = {
      ...state,
      applied: true,
      flagBase,
      enableInFile: false,
      ...(delivery === undefined ? {} : { delivery }),
    };
    await this.saveState(this.current);
  }

  /**
   * With a store, the stage's clock starts once every live replica has sent the stage's revision to
   * all its streams; until then nothing is checked. Past the store's timeout the rollout pauses,
   * naming the replicas that lag. True while it waits.
   */
  private async awaitFleet(): Promise<boolean> {
    const { fleet } = this.context.store;
    if (fleet === undefined || !awaitingDelivery(this.current)) return false;
    const delivery = await fleet.readDelivery();
    const nowMs = this.context.clock.now();
    if (delivery.lagging.length === 0) {
      this.current = markDelivered(this.current, nowMs);
      await this.saveState(this.current);
      this.context.events.delivered?.(delivery, this.current);
      return false;
    }
    const waitedMs = nowMs - waitStartedAtMs(this.current);
    if (waitedMs < fleet.timeoutMs) {
      this.context.events.waiting?.(delivery, this.current, waitedMs, fleet.timeoutMs);
      return true;
    }
    const lagging = `${delivery.lagging.length} of ${delivery.replicas.length} replicas`;
    await this.commit(
      this.pauseTransition(
        `revision ${delivery.revision} not delivered to every stream within ${formatDuration(fleet.timeoutMs)} (${lagging}): ${describeLagging(delivery)}; resume to write the stage again and wait anew`,
      ),
    );
    return true;
  }

  /** Every write carries the lock (its epoch is the fencing token): a process that lost the lock stops writing. */
  private async saveState(state: DeploymentState): Promise<void> {
    await this.context.store.writeState(state, this.lock);
  }

  private pauseTransition(reason: string): Transition {
    const nowMs = this.context.clock.now();
    return record(
      this.current,
      { ...this.current, status: 'paused', reason, updatedAt: new Date(nowMs).toISOString() },
      { event: 'pause', reason, nowMs },
    );
  }

  /**
   * A person's edit of the flag already wins (the layer stops applying to it); this records it: an
   * edit that turns the flag off rolls back (so the companion flags go off too), any other pauses.
   */
  private async stopOnDrift(): Promise<boolean> {
    if (this.current.status !== 'running' || !this.current.applied) return false;
    const drift = await this.context.store.findDrift(this.current);
    if (drift === undefined) return false;
    const nowMs = this.context.clock.now();
    await this.commit(
      drift.turnedOff
        ? rollBack(this.current, `${drift.description}: rolled back, the flag stays off`, 'controller', nowMs)
        : this.pauseTransition(`${drift.description}; your edit is served: resume to roll out over it, or roll back`),
    );
    return true;
  }

  /** Writes the stage again when a push (that left the flag alone) replaced what is served. */
  private async restoreStage(): Promise<void> {
    if (this.current.status !== 'running' || !this.current.applied) return;
    if (!(await this.context.store.isStageServed())) await this.applyToLayer(this.current);
  }

  private metricsSource(): MetricsSource | null {
    if (this.source === undefined) {
      const { metrics } = this.current.plan;
      this.source = metrics === null ? null : this.context.createSource(metrics);
    }
    return this.source;
  }

  /**
   * The `scrape:` source measures from a baseline: a controller takes one when it opens a running
   * deployment without it (control commands skip this, so a rollback never waits on a scrape). If
   * the instances are unreachable now, the first check takes it instead.
   */
  async recordBaseline(): Promise<void> {
    const source = this.metricsSource();
    const { status, metricsBaseline, plan } = this.current;
    if (source === null || status !== 'running' || metricsBaseline !== null || plan.metrics?.source.kind !== 'scrape')
      return;
    const nowMs = this.context.clock.now();
    const series = cohortSeriesOf(plan);
    const cohorts = series === null ? {} : { cohorts: { series, sinceMs: nowMs } };
    const { baseline } = await source.read({ nowMs, windowMs: 0, baseline: null, ...cohorts });
    this.current = { ...this.current, metricsBaseline: baseline };
    await this.saveState(this.current);
  }

  private async check(nowMs: number): Promise<void> {
    const source = this.metricsSource();
    const state = this.current;
    const windowStartMs = state.lastCheckAt === null ? Date.parse(state.stageEnteredAt) : Date.parse(state.lastCheckAt);
    let verdict = ungatedVerdict(windowStartMs, nowMs);
    let baseline = state.metricsBaseline;
    let ledger = state.cohortLedger;
    if (source !== null && state.plan.metrics !== null) {
      const series = cohortSeriesOf(state.plan);
      const cohorts = series === null ? {} : { cohorts: { series, sinceMs: windowStartMs } };
      const read = await source.read({ nowMs, windowMs: state.plan.metrics.windowMs, baseline, ...cohorts });
      ({ verdict, ledger } = judgeCheck(read.reading, state, nowMs));
      baseline = read.baseline;
    }
    this.context.events.check?.(verdict, state);
    // A person may have edited the flag while the check was in flight: that comes first.
    if (await this.stopOnDrift()) return;
    const measured = { ...state, metricsBaseline: baseline, ...(ledger === undefined ? {} : { cohortLedger: ledger }) };
    await this.commit(recordVerdict(measured, verdict, nowMs));
  }
}
