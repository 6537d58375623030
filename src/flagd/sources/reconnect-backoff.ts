export interface BackoffPolicy {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

/**
 * The wait before reconnect attempt `attempt` (0 for the first retry): exponential from
 * `initialBackoffMs`, capped at `maxBackoffMs`, with "equal jitter": half of the step is fixed and half
 * random, so a fleet that lost the same server does not come back in lockstep, yet no instance retries
 * sooner than half the step. `random` returns a number in [0, 1).
 */
export function reconnectDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(attempt, 30);
  const step = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** exponent);
  return Math.round(step / 2 + (step / 2) * random());
}
