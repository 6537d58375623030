import type { StagePosition, Transition, Verdict } from './deploy-events.js';

/** One line of the timeline, as printed and as kept for the report. */
export interface TimelineRow {
  readonly atMs: number;
  readonly stage: string;
  readonly exposure: string;
  readonly requests: string;
  readonly errorRate: string;
  readonly p95: string;
  readonly verdict: string;
  readonly event: string;
}

const COLUMNS: ReadonlyArray<readonly [heading: string, width: number]> = [
  ['time', 7],
  ['stage', 5],
  ['exposure', 14],
  ['requests', 8],
  ['error rate', 10],
  ['p95', 8],
  ['verdict', 16],
  ['event', 0],
];

/** The demo's timeline, printed a line at a time as stage changes, checks and injected faults arrive. */
export class Timeline {
  readonly rows: TimelineRow[] = [];
  #position: StagePosition | null = null;
  #lastStage = 0;

  constructor(
    private readonly startMs: number,
    private readonly print: (line: string) => void,
  ) {}

  /** The number of stages of the plan, for "2/4". */
  setStageCount(steps: number): void {
    this.#lastStage = steps - 1;
  }

  transition(entry: Transition): void {
    this.#position = entry.to;
    const move =
      entry.from === null ? `${entry.to.percentage}%` : `${entry.from.percentage}% → ${entry.to.percentage}%`;
    this.#add(Date.parse(entry.at), {
      event: `${entry.event === 'rollback' ? 'ROLLBACK' : entry.event} ${move}: ${entry.reason}`,
    });
  }

  check(verdict: Verdict): void {
    const m = verdict.measurement;
    this.#add(Date.parse(verdict.at), {
      requests: m === null ? '-' : String(m.requests),
      errorRate: m === null || m.errorRate === null ? '-' : `${(m.errorRate * 100).toFixed(2)}%`,
      p95: m === null || m.p95Ms === null ? '-' : `${m.p95Ms.toFixed(1)}ms`,
      verdict: `${verdict.kind}${verdict.critical ? ' (critical)' : ''}`,
      event: verdict.kind === 'pass' ? '' : verdict.reasons.join('; '),
    });
  }

  note(atMs: number, event: string): void {
    this.#add(atMs, { event });
  }

  #add(atMs: number, cells: Partial<Omit<TimelineRow, 'atMs' | 'stage' | 'exposure'>>): void {
    const position = this.#position;
    const row: TimelineRow = {
      atMs,
      stage: position === null ? '-' : `${position.stage}/${this.#lastStage}`,
      exposure:
        position === null
          ? '-'
          : `${position.percentage}%${position.status === 'running' ? '' : ` ${position.status.replace('_', ' ')}`}`,
      requests: '',
      errorRate: '',
      p95: '',
      verdict: '',
      event: '',
      ...cells,
    };
    if (this.rows.length === 0) this.print(formatLine(COLUMNS.map(([heading]) => heading)));
    this.rows.push(row);
    const time = `+${((atMs - this.startMs) / 1000).toFixed(1)}s`;
    this.print(
      formatLine([time, row.stage, row.exposure, row.requests, row.errorRate, row.p95, row.verdict, row.event]),
    );
  }
}

function formatLine(cells: readonly string[]): string {
  return cells
    .map((cell, index) => cell.padEnd(COLUMNS[index]?.[1] ?? 0))
    .join('  ')
    .trimEnd();
}
