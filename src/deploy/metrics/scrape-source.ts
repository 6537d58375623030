import { describeError } from '../../errors/describe-error.js';
import type { MetricsPlan } from './metrics-plan.js';
import { parseExposition } from './exposition-parser.js';
import { histogramQuantile } from './histogram-quantile.js';
import { sumCohortSamples } from './cohort-series.js';
import type { Sample } from './exposition-parser.js';
import type { MetricsRead, MetricsSource } from './metrics-reading.js';
import type { CohortPair } from './cohort-counts.js';
import { addCounters, counterDelta, sumCounters, type CounterNames, type InstanceCounters } from './scrape-counters.js';

/** What the scrape source keeps between checks: each instance's counters at the last scrape. */
interface ScrapeBaseline {
  readonly atMs: number;
  readonly instances: Readonly<Record<string, InstanceCounters>>;
  /** Each instance's per-variant counters, when cohorts are read. */
  readonly cohorts?: Readonly<Record<string, CohortPair | null>>;
}

const SCRAPE_TIMEOUT_MS = 10_000;

/**
 * The largest `/metrics` body read from one instance. An instance exposing a few thousand series
 * answers in well under 1 MiB; a body of hundreds of MB is a cardinality explosion or not a metrics
 * endpoint at all, and reading it whole took the controller to 1 GB.
 */
export const DEFAULT_SCRAPE_MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface ScrapeSourceOptions {
  /** Past this many bytes a body is not read further and the check is inconclusive. @default 16 MiB */
  readonly maxBodyBytes?: number;
}

/**
 * Reads `/metrics` from every instance, sums their counters, and measures the increase since the
 * previous check (the baseline, kept in the deployment state). Any unreachable instance makes the
 * check inconclusive and keeps the old baseline, so the next check covers both windows.
 */
export function createScrapeSource(
  urls: readonly string[],
  metrics: MetricsPlan,
  fetchFn: typeof fetch = fetch,
  options: ScrapeSourceOptions = {},
): MetricsSource {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_SCRAPE_MAX_BODY_BYTES;
  const names: CounterNames = {
    requestsMetric: metrics.requestsMetric,
    durationMetric: metrics.durationMetric,
    statusLabel: metrics.statusLabel,
    errorStatus: new RegExp(`^(?:${metrics.errorStatusPattern})$`),
  };
  const description = `scrape of ${urls.length} instance${urls.length === 1 ? '' : 's'}`;
  return {
    description,
    read: async ({ nowMs, baseline, cohorts }): Promise<MetricsRead> => {
      const previous = asBaseline(baseline);
      const windowStartMs = previous?.atMs ?? nowMs;
      const unavailable = (reason: string): MetricsRead => ({
        reading: { kind: 'unavailable', reason, windowStartMs, windowEndMs: nowMs, source: description },
        baseline: previous ?? null,
      });
      const scraped = await Promise.all(urls.map((url) => scrapeInstance(url, fetchFn, maxBodyBytes)));
      const failed = scraped.find((result) => typeof result === 'string');
      if (typeof failed === 'string') return unavailable(failed);
      const samples = scraped as Sample[][];
      const current = Object.fromEntries(urls.map((url, index) => [url, sumCounters(samples[index] ?? [], names)]));
      const currentCohorts =
        cohorts === undefined
          ? undefined
          : Object.fromEntries(urls.map((url, index) => [url, sumCohortSamples(samples[index] ?? [], cohorts.series)]));
      const next: ScrapeBaseline = {
        atMs: nowMs,
        instances: current,
        ...(currentCohorts === undefined ? {} : { cohorts: currentCohorts }),
      };
      if (previous === undefined) {
        return { ...unavailable('first scrape: counters recorded, measuring from now'), baseline: next };
      }
      const total = addCounters(
        urls.map((url) => counterDelta(current[url] as InstanceCounters, previous.instances[url])),
      );
      const buckets = Object.entries(total.buckets).map(([le, count]) => ({
        upperBound: le === '+Inf' ? Infinity : Number(le),
        count,
      }));
      const p95Seconds = histogramQuantile(0.95, buckets);
      const reading = {
        kind: 'measured' as const,
        requests: total.requests,
        errors: total.errors,
        errorRate: total.requests > 0 ? total.errors / total.requests : null,
        p95Ms: p95Seconds === null ? null : p95Seconds * 1000,
        windowStartMs,
        windowEndMs: nowMs,
        source: description,
        // A baseline taken without per-variant counters cannot give a per-variant delta yet.
        ...(currentCohorts === undefined
          ? {}
          : { cohorts: previous.cohorts === undefined ? null : cohortWindow(urls, currentCohorts, previous.cohorts) }),
      };
      return { reading, baseline: next };
    },
  };
}

/**
 * The per-variant increase since the previous scrape, summed over instances; `null` when no instance
 * has per-variant series. An instance without a previous per-variant reading counts from zero.
 */
function cohortWindow(
  urls: readonly string[],
  current: Readonly<Record<string, CohortPair | null>>,
  previous: Readonly<Record<string, CohortPair | null>>,
): CohortPair | null {
  const pairs = urls.flatMap((url) => {
    const now = current[url];
    if (now === undefined || now === null) return [];
    const before = previous[url] ?? undefined;
    return [
      {
        treatment: counterDelta(now.treatment, before?.treatment),
        control: counterDelta(now.control, before?.control),
      },
    ];
  });
  if (pairs.length === 0) return null;
  return {
    treatment: addCounters(pairs.map((pair) => pair.treatment)),
    control: addCounters(pairs.map((pair) => pair.control)),
  };
}

async function scrapeInstance(url: string, fetchFn: typeof fetch, maxBodyBytes: number): Promise<Sample[] | string> {
  let text: string;
  try {
    const response = await fetchFn(url, {
      signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS),
      headers: { accept: 'text/plain' },
    });
    if (!response.ok) return `cannot scrape ${url}: HTTP ${response.status}`;
    const body = await readBodyUpTo(response, maxBodyBytes);
    if (body === undefined) return `cannot scrape ${url}: the body is larger than the limit of ${maxBodyBytes} bytes`;
    text = body;
  } catch (cause) {
    return `cannot scrape ${url}: ${describeFetchFailure(cause)}`;
  }
  const samples = parseExposition(text);
  return samples.ok ? samples.value : `cannot parse metrics from ${url}: ${samples.error}`;
}

/** The body as text, or undefined (and the rest left unread) once it passes `maxBytes`. */
async function readBodyUpTo(response: Response, maxBytes: number): Promise<string | undefined> {
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let bytes = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}

/** fetch reports network errors as `TypeError: fetch failed` with the real reason in `cause`. */
export function describeFetchFailure(cause: unknown): string {
  const inner = cause instanceof Error && cause.cause !== undefined ? cause.cause : cause;
  const code = (inner as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? `${code} (${describeError(inner)})` : describeError(inner);
}

function asBaseline(value: unknown): ScrapeBaseline | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const candidate = value as Partial<ScrapeBaseline>;
  return typeof candidate.atMs === 'number' && typeof candidate.instances === 'object' && candidate.instances !== null
    ? (candidate as ScrapeBaseline)
    : undefined;
}
