import type { Result } from '../../errors/result.js';
import { describeFetchFailure } from './scrape-source.js';

const QUERY_TIMEOUT_MS = 10_000;

/** The JSON body of an instant query (`/api/v1/query`), or why the server could not be asked. */
export async function fetchQuery(baseUrl: string, query: string, fetchFn: typeof fetch): Promise<Result<unknown>> {
  const url = `${baseUrl}/api/v1/query?${new URLSearchParams({ query }).toString()}`;
  try {
    const response = await fetchFn(url, { signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) });
    const body: unknown = await response
      .json()
      .catch(() => ({ status: 'error', error: `HTTP ${response.status}, not JSON` }));
    return { ok: true, value: body };
  } catch (cause) {
    return { ok: false, error: `Prometheus unreachable at ${baseUrl}: ${describeFetchFailure(cause)}` };
  }
}
