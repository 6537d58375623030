import { hostname } from 'node:os';
import { describeError } from '../../errors/describe-error.js';
import type { ControllerEntry } from '../state/controller-registry.js';
import { DeployError } from '../deploy-error.js';
import { Deployment, type DeploymentContext } from './deployment.js';

export interface RolloutControllerOptions {
  /** One context per state file watched: the default one beside each served flag file, or `--state`. */
  readonly contexts: readonly DeploymentContext[];
  /** What the controller is part of, named in the lock and the registry: `serve`, `controller`. */
  readonly command: string;
  /** How often each state file is looked at. @default 250 */
  readonly pollMs?: number;
  /** How often the registry entry is refreshed while nothing happens. @default 2000 */
  readonly heartbeatMs?: number;
  /** Return once no watched rollout is running (a controller started in the background for one rollout). */
  readonly untilIdle?: boolean;
  /** Where problems go (one line each); the deployments' own events go to each context's `events`. */
  readonly log: (message: string) => void;
}

/** One watched state file and the deployment this controller drives there, if any. */
interface Watched {
  readonly context: DeploymentContext;
  deployment: Deployment | undefined;
  lastProblem: string | undefined;
}

/**
 * Drives the rollouts of the flag files it serves, as the Argo Rollouts controller does for its
 * resources: it finds each running rollout at its state file, takes the deployment lock (exactly one
 * process acts on a rollout; the others wait for a dead holder's lock), and ticks it — requests,
 * operator edits, health checks, stages — until it is paused or finished, when it lets go.
 */
export class RolloutController {
  readonly #options: RolloutControllerOptions;
  readonly #watched: Watched[];
  readonly #entry: Omit<ControllerEntry, 'lastActedAt'>;

  constructor(options: RolloutControllerOptions) {
    this.#options = options;
    this.#watched = options.contexts.map((context) => ({ context, deployment: undefined, lastProblem: undefined }));
    const clock = options.contexts[0]?.clock;
    this.#entry = {
      pid: process.pid,
      host: hostname(),
      since: new Date(clock?.now() ?? Date.now()).toISOString(),
      command: options.command,
    };
  }

  /** Runs until `signal` aborts (or, with `untilIdle`, until nothing is running); lets go of every lock. */
  async run(signal: AbortSignal): Promise<void> {
    const clock = this.#options.contexts[0]?.clock;
    if (clock === undefined) return;
    const pollMs = this.#options.pollMs ?? 250;
    const heartbeatMs = this.#options.heartbeatMs ?? 2000;
    let heartbeatAt = -Infinity;
    try {
      while (!signal.aborted) {
        let running = false;
        for (const watched of this.#watched) running = (await this.#step(watched)) || running;
        const nowMs = clock.now();
        if (nowMs - heartbeatAt >= heartbeatMs) {
          await this.#announce(nowMs);
          heartbeatAt = nowMs;
        }
        if (this.#options.untilIdle === true && !running && (await this.#leaveIfIdle())) return;
        await clock.sleep(pollMs, signal);
      }
    } finally {
      await Promise.all(this.#watched.map((watched) => this.#letGo(watched)));
      await this.#withdraw();
    }
  }

  /**
   * Withdraws from the registry, then looks once more: a request (a resume) that found this
   * controller still registered has made its rollout run again by then, and it stays for it.
   */
  async #leaveIfIdle(): Promise<boolean> {
    await this.#withdraw();
    let running = false;
    for (const watched of this.#watched) running = (await this.#step(watched)) || running;
    if (running) await this.#announce(this.#options.contexts[0]?.clock.now() ?? Date.now());
    return !running;
  }

  async #withdraw(): Promise<void> {
    await Promise.all(
      this.#watched.map((watched) => watched.context.store.withdrawController({ ...this.#entry, lastActedAt: '' })),
    );
  }

  /** One look at a state file; true while its rollout is running. */
  async #step(watched: Watched): Promise<boolean> {
    try {
      const deployment = watched.deployment ?? (await this.#take(watched));
      if (deployment === undefined) return false;
      await deployment.tick();
      watched.lastProblem = undefined;
      if (deployment.state.status === 'running') return true;
      await this.#letGo(watched);
      return false;
    } catch (cause) {
      this.#report(watched, cause);
      // A lost lock, or a failure mid-step: let go (a held lock would keep even this process out)
      // and start again from the store at the next look.
      await this.#letGo(watched);
      return true;
    }
  }

  /** Opens the running rollout of a state file when its lock is free (or its holder dead). */
  async #take(watched: Watched): Promise<Deployment | undefined> {
    const { store } = watched.context;
    const stored = await store.readState();
    if (stored?.status !== 'running') return undefined;
    const holder = await store.readLockHolder();
    if (holder?.alive === true) return undefined;
    let deployment: Deployment;
    try {
      deployment = await Deployment.open(watched.context, this.#options.command, async (current) => {
        if (current === undefined) throw new DeployError('state', `No deployment state: ${store.location}`);
        return current;
      });
    } catch (cause) {
      // Another controller was quicker: it drives the rollout, this one keeps watching.
      if (cause instanceof DeployError && cause.kind === 'lock') return undefined;
      throw cause;
    }
    watched.deployment = deployment;
    await deployment.recordBaseline().catch((cause: unknown) => this.#report(watched, cause));
    return deployment;
  }

  async #letGo(watched: Watched): Promise<void> {
    const deployment = watched.deployment;
    watched.deployment = undefined;
    await deployment?.close().catch(() => undefined);
  }

  async #announce(nowMs: number): Promise<void> {
    const entry = { ...this.#entry, lastActedAt: new Date(nowMs).toISOString() };
    for (const watched of this.#watched) {
      await watched.context.store.announceController(entry).catch((cause: unknown) => this.#report(watched, cause));
    }
  }

  /** Each distinct problem once per state file, not once per poll. */
  #report(watched: Watched, cause: unknown): void {
    const message = `${watched.context.store.location}: ${describeError(cause)}`;
    if (message === watched.lastProblem) return;
    watched.lastProblem = message;
    this.#options.log(message);
  }
}
