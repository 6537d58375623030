import type { SyncObserver } from '../flagd/sync/sync-subscription.js';

interface SourceCounters {
  revision: number;
  stale: number;
  reloadErrors: number;
  flags: number;
}

/**
 * The server's counters, rendered in the Prometheus text exposition format (version 0.0.4). Kept by
 * hand rather than with a metrics library: a handful of series, no runtime dependency.
 */
export class ServerMetrics implements SyncObserver {
  #streams = 0;
  #pushes = 0;
  #payloadBytes = 0;
  readonly #sources = new Map<string, SourceCounters>();

  constructor(sources: readonly string[]) {
    for (const source of sources) this.#sources.set(source, { revision: 0, stale: 0, reloadErrors: 0, flags: 0 });
  }

  streamOpened(): void {
    this.#streams++;
  }

  streamClosed(): void {
    this.#streams--;
  }

  pushed(payloadBytes: number): void {
    this.#pushes++;
    this.#payloadBytes += payloadBytes;
  }

  /** A source's new content was applied: its revision goes up by one. */
  sourceApplied(source: string, flagCount: number): void {
    const counters = this.#counters(source);
    counters.revision++;
    counters.flags = flagCount;
  }

  /** A source's content was rejected (the last good state stays). */
  reloadFailed(source: string): void {
    this.#counters(source).reloadErrors++;
  }

  /** A source's upstream was lost (its last good state is served) or is back. */
  sourceStale(source: string, stale: boolean): void {
    this.#counters(source).stale = stale ? 1 : 0;
  }

  render(): string {
    const lines: string[] = [];
    const metric = (
      name: string,
      type: 'gauge' | 'counter',
      help: string,
      samples: readonly [string, number][],
    ): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    const perSource = (pick: (counters: SourceCounters) => number): [string, number][] =>
      [...this.#sources].map(([source, counters]) => [`{source="${escapeLabel(source)}"}`, pick(counters)]);
    metric('genesis_flags_sync_streams', 'gauge', 'SyncFlags streams open now.', [['', this.#streams]]);
    metric('genesis_flags_sync_pushes_total', 'counter', 'Flag payloads sent on SyncFlags streams.', [
      ['', this.#pushes],
    ]);
    metric(
      'genesis_flags_sync_payload_bytes_total',
      'counter',
      'Bytes of flag configuration sent on SyncFlags streams.',
      [['', this.#payloadBytes]],
    );
    metric(
      'genesis_flags_source_revision',
      'gauge',
      'Number of contents applied from each flag source since start.',
      perSource((c) => c.revision),
    );
    metric(
      'genesis_flags_source_stale',
      'gauge',
      'Whether each flag source lost its upstream (a store away) and serves its last good state: 1 or 0.',
      perSource((c) => c.stale),
    );
    metric(
      'genesis_flags_source_reload_errors_total',
      'counter',
      'Contents of each flag source rejected; the last good state was kept.',
      perSource((c) => c.reloadErrors),
    );
    metric(
      'genesis_flags_source_flags',
      'gauge',
      'Flags in the last good state of each source.',
      perSource((c) => c.flags),
    );
    return `${lines.join('\n')}\n`;
  }

  #counters(source: string): SourceCounters {
    const counters = this.#sources.get(source);
    if (counters === undefined) throw new Error(`Unknown metrics source: ${source}`);
    return counters;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
