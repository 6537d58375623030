/*
 * The part of `genesis-flags deploy start --json` output the demo reads: one JSON object a line.
 * Declared here as the demo sees it (an outside consumer of the CLI), not imported from src/.
 */

export interface StagePosition {
  readonly status: string;
  readonly stage: number;
  readonly percentage: number;
}

export interface Measurement {
  readonly requests: number;
  readonly errorRate: number | null;
  readonly p95Ms: number | null;
}

/** One cohort of the cohort analysis: the users on the new variant (treatment) or not (control). */
export interface CohortSummary {
  readonly requests: number;
  readonly errors: number;
  readonly errorRate: number | null;
}

export interface Verdict {
  readonly kind: 'pass' | 'fail' | 'inconclusive';
  readonly at: string;
  readonly reasons: readonly string[];
  readonly critical: boolean;
  /** All traffic: what the global gate judges. */
  readonly measurement: Measurement | null;
  /** Treatment against control, over the stage so far; absent when no per-variant series were found. */
  readonly cohorts?: {
    readonly treatment: CohortSummary;
    readonly control: CohortSummary;
    readonly errorPValue: number | null;
  };
}

export interface Transition {
  readonly at: string;
  readonly event: string;
  readonly from: StagePosition | null;
  readonly to: StagePosition;
  readonly reason: string;
  /** The check that caused the transition, and the limits it was judged against. */
  readonly verdict?: Verdict | null;
  readonly thresholds?: { readonly maxErrorRate: number } | null;
}

export type DeployEvent =
  | { readonly event: 'plan'; readonly plan: { readonly steps: readonly number[] } }
  | { readonly event: 'transition'; readonly entry: Transition }
  | { readonly event: 'check'; readonly verdict: Verdict }
  | { readonly event: 'result'; readonly outcome: string; readonly exitCode: number };

const KNOWN = new Set(['plan', 'transition', 'check', 'result']);

/** Calls `onEvent` for every complete line of `deploy start --json` output that the demo knows. */
export function createDeployEventReader(onEvent: (event: DeployEvent) => void): (chunk: Buffer | string) => void {
  let buffered = '';
  return (chunk) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const event = parseLine(line);
      if (event !== undefined) onEvent(event);
    }
  };
}

function parseLine(line: string): DeployEvent | undefined {
  if (!line.trimStart().startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as { event?: unknown };
    return typeof value.event === 'string' && KNOWN.has(value.event) ? (value as DeployEvent) : undefined;
  } catch {
    return undefined;
  }
}
