/** What the load generator has seen: responses by status and by the pipeline that served them. */
export interface LoadStats {
  readonly sent: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byPipeline: Readonly<Record<string, number>>;
}

const REGIONS = ['eu-west', 'us-east', 'ap-south'];
const TENANTS = ['acme', 'globex', 'initech'];
const TASKS = [
  'Summarize the incident report.',
  'Fix the typo in the onboarding email.',
  'Refactor the billing module. Then write tests for the new function.',
  'Design a distributed architecture for the search service; migrate the index.',
  'Research three vector databases and compare their pricing.',
  'Scrape the changelog pages then summarize them.',
];
const TICK_MS = 50;

/**
 * Sends `POST /tasks` to the instances in turn at a steady rate, as many different users (so that a
 * percentage rollout splits them), and counts the answers.
 */
export class LoadGenerator {
  readonly #pending = new Set<Promise<void>>();
  readonly #byStatus: Record<string, number> = {};
  readonly #byPipeline: Record<string, number> = {};
  #sent = 0;
  #timer: NodeJS.Timeout | undefined;
  #credit = 0;

  constructor(
    private readonly targets: readonly string[],
    private readonly ratePerSecond: number,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    this.#timer = setInterval(() => {
      this.#credit += (this.ratePerSecond * TICK_MS) / 1000;
      for (; this.#credit >= 1; this.#credit -= 1) this.#track(this.#send());
    }, TICK_MS);
  }

  /** Stops sending and waits for the answers still on their way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all(this.#pending);
  }

  stats(): LoadStats {
    return { sent: this.#sent, byStatus: { ...this.#byStatus }, byPipeline: { ...this.#byPipeline } };
  }

  #track(request: Promise<void>): void {
    this.#pending.add(request);
    void request.finally(() => this.#pending.delete(request));
  }

  async #send(): Promise<void> {
    const target = this.targets[this.#sent % this.targets.length] as string;
    this.#sent += 1;
    const headers = {
      'content-type': 'application/json',
      'x-user-id': `user-${Math.floor(this.random() * 1000)}`,
      'x-region': this.#pick(REGIONS),
      'x-tenant': this.#pick(TENANTS),
    };
    const body = JSON.stringify({ description: this.#pick(TASKS), priority: 'normal', work_ms: 2 });
    try {
      const response = await fetch(`${target}/tasks`, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(5000),
      });
      const answer = (await response.json()) as { dispatch?: { pipeline?: string }; pipeline?: string };
      this.#count(this.#byStatus, String(response.status));
      this.#count(this.#byPipeline, answer.dispatch?.pipeline ?? answer.pipeline ?? 'none');
    } catch {
      this.#count(this.#byStatus, 'network error');
    }
  }

  #pick(values: readonly string[]): string {
    return values[Math.floor(this.random() * values.length)] as string;
  }

  #count(counts: Record<string, number>, key: string): void {
    counts[key] = (counts[key] ?? 0) + 1;
  }
}

/** The difference between two snapshots: what happened in between. */
export function statsBetween(before: LoadStats, after: LoadStats): LoadStats {
  const minus = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> =>
    Object.fromEntries(
      Object.entries(a)
        .map(([key, value]) => [key, value - (b[key] ?? 0)])
        .filter(([, value]) => value !== 0),
    );
  return {
    sent: after.sent - before.sent,
    byStatus: minus(after.byStatus, before.byStatus),
    byPipeline: minus(after.byPipeline, before.byPipeline),
  };
}
