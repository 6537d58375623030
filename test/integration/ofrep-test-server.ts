import type { RunningFlagServer } from '../../src/server/flag-server.js';
import type { ServeOptions } from '../../src/server/serve-config.js';
import { startTestFlagServer } from './sync-flag-server.js';

/** The whole flag server on loopback, seen from an OFREP client. */
export interface OfrepTestServer {
  readonly server: RunningFlagServer;
  /** The OFREP base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** How many OFREP requests the server counted on /metrics for `method` (`bulk`, `single`) and HTTP status. */
  answeredCount(method: 'bulk' | 'single', status: number): Promise<number>;
  close(): Promise<void>;
}

const METHODS = { bulk: 'ofrep/v1/evaluate/flags', single: 'ofrep/v1/evaluate/flags/{key}' } as const;

export async function startOfrepTestServer(options: ServeOptions): Promise<OfrepTestServer> {
  const server = await startTestFlagServer(options);
  const answeredCount = async (method: 'bulk' | 'single', status: number): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${server.managementPort}/metrics`)).text();
    const series = `genesis_flags_evaluation_requests_total{protocol="ofrep",method="${METHODS[method]}",code="${status}"} `;
    const line = text.split('\n').find((candidate) => candidate.startsWith(series));
    return line === undefined ? 0 : Number(line.slice(series.length));
  };
  return { server, url: `http://127.0.0.1:${server.ofrepPort}`, answeredCount, close: () => server.close() };
}
