import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Result } from '../errors/result.js';
import { listenHttp } from './http/listen-http.js';

/** What the management endpoints report, asked afresh on every request. */
export interface ManagementProbe {
  /** Ready once every flag source has loaded; otherwise one reason per unready source. */
  readiness(): { readonly ready: boolean; readonly reasons: readonly string[]; readonly stale: readonly string[] };
  /** Prometheus text exposition. */
  metrics(): string;
}

export interface RunningManagementServer {
  readonly port: number;
  close(): Promise<void>;
}

const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Serves `/healthz` (the process is up), `/readyz` (flags are loaded) and `/metrics` over HTTP. */
export async function startManagementServer(
  host: string,
  port: number,
  probe: ManagementProbe,
): Promise<Result<RunningManagementServer, Error>> {
  const server = createServer((request, response) => respond(request, response, probe));
  const listening = await listenHttp(server, host, port);
  if (!listening.ok) return listening;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      // Keep-alive connections from scrapers would otherwise hold close() open.
      server.closeAllConnections();
    });
  return { ok: true, value: { port: listening.value, close } };
}

function respond(request: IncomingMessage, response: ServerResponse, probe: ManagementProbe): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, 'Method not allowed\n', { allow: 'GET, HEAD' });
    return;
  }
  const path = new URL(request.url ?? '/', 'http://management').pathname;
  switch (path) {
    case '/healthz':
      send(response, 200, 'ok\n');
      return;
    case '/readyz': {
      // A source whose upstream is away keeps the replica ready: it serves the last good flags, and
      // every replica loses a shared store at once, so failing here would empty the whole fleet.
      const { ready, reasons, stale } = probe.readiness();
      const staleLines = stale.map((line) => `stale: ${line}\n`).join('');
      send(
        response,
        ready ? 200 : 503,
        ready ? `ready\n${staleLines}` : `not ready\n${reasons.map((reason) => `${reason}\n`).join('')}${staleLines}`,
      );
      return;
    }
    case '/metrics':
      send(response, 200, probe.metrics(), { 'content-type': PROMETHEUS_CONTENT_TYPE });
      return;
    default:
      send(response, 404, 'Not found\n');
  }
}

function send(response: ServerResponse, statusCode: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(statusCode, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(body);
}
